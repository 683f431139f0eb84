using System.Diagnostics;
using Dapper;
using Npgsql;
using RestoreDrills.Drills;

namespace RestoreDrills.Backups;

/// <summary>
/// Closes the current WAL segment and waits until pg_stat_archiver reports it archived (not a sleep), on any server
/// the drill can reach: a source container, or a CNPG primary through a port-forward. Returns the archive lag.
/// </summary>
public static class WalSwitch
{
    public static async Task<TimeSpan> SwitchAndWaitArchivedAsync(NpgsqlConnection db, TimeSpan timeout, string timeoutSetting, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var segment = await db.ExecuteScalarAsync<string>("SELECT pg_walfile_name(pg_switch_wal())");
        while (true)
        {
            var archiver = await db.QuerySingleAsync<(string? LastArchived, string? LastFailed, DateTime? LastFailedTime)>(
                "SELECT last_archived_wal, last_failed_wal, last_failed_time FROM pg_stat_archiver");
            if (archiver.LastArchived is { } done && string.CompareOrdinal(done, segment) >= 0)
                return watch.Elapsed;
            if (watch.Elapsed > timeout)
            {
                var failing = archiver.LastFailed is null ? "" : $"; archive_command last failed on {archiver.LastFailed} at {archiver.LastFailedTime:O}";
                throw new DrillFailure(FailureCause.WalArchivingFailed,
                    $"WAL segment {segment} was not archived within {timeout.TotalSeconds:0.###} s ({timeoutSetting}){failing}");
            }
            await Task.Delay(100, ct);
        }
    }
}
