using System.Diagnostics;
using Dapper;
using Npgsql;
using RestoreDrills.Failures;

namespace RestoreDrills.Backups;

/// <summary>
/// Closes the current WAL segment and waits until pg_stat_archiver reports it archived (not a sleep), on any server
/// the drill can reach: a source container, or a CNPG primary through a port-forward. Returns the archive lag.
/// </summary>
public static class WalSwitch
{
    /// <param name="timeoutSetting">the name of the setting <paramref name="timeout"/> comes from, for the failure</param>
    /// <param name="pollInterval">how often pg_stat_archiver is asked: the lag is measured to about this precision</param>
    public static async Task<TimeSpan> SwitchAndWaitArchivedAsync(NpgsqlConnection db, TimeSpan timeout, string timeoutSetting, TimeSpan pollInterval, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var segment = await db.ExecuteScalarAsync<string>("SELECT pg_walfile_name(pg_switch_wal())");
        var wait = new Poll($"WAL segment {segment} archived", timeout, timeoutSetting, pollInterval);
        await wait.UntilAsync<bool>(async (_, _) =>
        {
            var archiver = await db.QuerySingleAsync<(string? LastArchived, string? LastFailed, DateTime? LastFailedTime)>(
                "SELECT last_archived_wal, last_failed_wal, last_failed_time FROM pg_stat_archiver");
            return archiver.LastArchived is { } done && string.CompareOrdinal(done, segment) >= 0
                ? Poll.Answer<bool>.Of(true)
                : Poll.Answer<bool>.NotYet(archiver.LastFailed is null ? "" : $"; archive_command last failed on {archiver.LastFailed} at {archiver.LastFailedTime:O}");
        }, failing => new DrillFailure(FailureCause.WalArchivingFailed,
            $"WAL segment {segment} was not archived within {timeout.TotalSeconds:0.###} s ({timeoutSetting}){failing}"), ct);
        return watch.Elapsed;
    }
}
