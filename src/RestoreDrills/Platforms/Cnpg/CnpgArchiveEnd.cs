using Dapper;
using Npgsql;
using RestoreDrills.Inventory;
using RestoreDrills.Platforms.Cnpg.Manifests;
using RestoreDrills.Verification;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// A CNPG restore to latest must reach the end of the archive as it stood when the restore began: the source's
/// status.lastArchivedWAL (CNPG's report of its pg_stat_archiver), read just before the restored Cluster is created; the
/// source archives on, and replay may go further, never less far. Where replay ended is read on the restored primary,
/// as superuser: the history file PostgreSQL wrote when it promoted onto its current timeline. No store access needed.
/// </summary>
public static class CnpgArchiveEnd
{
    /// <summary>The newest segment the source reports archived, or null when it reports none (or only a history file).</summary>
    public static async Task<WalSegmentName?> AtRestoreStartAsync(CnpgApi api, CnpgSettings settings, CancellationToken ct)
    {
        var source = await api.GetAsync(CnpgResources.Clusters, settings.SourceCluster, ct);
        return Segment(source?["status"]?["lastArchivedWAL"]?.GetValue<string>());
    }

    /// <summary>A segment name, or the segment a .backup or .partial file names first; null for a history file or nothing.</summary>
    public static WalSegmentName? Segment(string? lastArchivedWal) =>
        lastArchivedWal is { Length: >= 24 } && WalSegmentName.TryParse(lastArchivedWal[..24], out var segment) ? segment : null;

    public static async Task<ReplayEnd> ReplayEndAsync(NpgsqlConnection superuser, CancellationToken ct)
    {
        // The timeline WAL is written on now (the promoted one): the first 8 digits of the current WAL file's name.
        var timeline = await superuser.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)", cancellationToken: ct)) ?? "";
        var file = $"pg_wal/{timeline}.history";
        var history = await superuser.ExecuteScalarAsync<string>(new CommandDefinition("SELECT pg_read_file(@file)", new { file }, cancellationToken: ct));
        return ReplayEnd.FromHistory(history ?? "", file);
    }
}
