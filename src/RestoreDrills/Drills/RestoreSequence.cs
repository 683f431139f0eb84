using System.Diagnostics;
using RestoreDrills.Configuration;
using RestoreDrills.Failures;
using RestoreDrills.Platforms.Containers;
using RestoreDrills.RecoveryTargets;
using RestoreDrills.Reporting;

namespace RestoreDrills.Drills;

/// <summary>
/// The restore every containers drill runs, as CNPG's full-recovery job does it: download the base backup into
/// the new container, write the recovery settings, replay WAL until promoted. Timed from the download's start
/// (the RTO); the recovery log and restore_command's own log are attached as evidence.
/// </summary>
public static class RestoreSequence
{
    /// <summary>How this restore differs between drills.</summary>
    /// <param name="RestoredBy">Who downloads and fetches, for the step names (barman-cloud-restore, or a sidecar's).</param>
    /// <param name="WalMaxParallel">WAL segments restore_command fetches at once (CNPG's wal.maxParallel).</param>
    /// <param name="Standalone">A data directory from another platform: settings that point outside the container are overridden first.</param>
    public sealed record Options(string RestoredBy, int WalMaxParallel, bool Standalone = false);

    public static async Task<DrillRestore> RunAsync(RestoredInstance restored, string backupId, RecoveryTarget target, Options options,
        DrillTimeouts timeouts, DrillJournal journal, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await journal.StepAsync($"Download base backup {backupId} into a new container ({options.RestoredBy})",
            () => restored.DownloadBaseBackupAsync(backupId, timeouts.RestoreDownload, ct));
        var download = watch.Elapsed;
        var settings = (options.Standalone ? "standalone settings, " : "") + "promote, archive_mode=off"
                       + (restored.HasSidecar ? "" : $", wal.maxParallel {options.WalMaxParallel}");
        await journal.StepAsync($"Configure recovery to {target} ({settings})", async () =>
        {
            var lines = options.Standalone ? await restored.MakeStandaloneAsync(ct) : [];
            lines = [.. lines, .. await restored.ConfigureRecoveryAsync(target, ct, options.WalMaxParallel)];
            journal.Attach("recovery settings", string.Join('\n', lines));
        });
        var recovery = await journal.StepAsync("Replay WAL until promoted (restore_command fetches as CNPG's instance manager)", async () =>
        {
            try
            {
                return await restored.RecoverAsync(timeouts.RecoveryEnds, ct);
            }
            catch (DrillFailure failure) when (failure.Evidence is not null)
            {
                journal.Attach("recovery log", failure.Evidence);
                await AttachWalRestoreLogAsync(restored, journal, ct);
                throw;
            }
        });
        var restore = watch.Elapsed;
        var log = await restored.RecoveryLogAsync(ct);
        journal.Attach("recovery log", log);
        var walRestore = await AttachWalRestoreLogAsync(restored, journal, ct);
        journal.Progress($"promoted on timeline {recovery.Timeline} after {restore.TotalSeconds:0.0} s (download {download.TotalSeconds:0.0} s)"
                         + (walRestore is null ? "" : $"; restore_command: {walRestore}"));
        return new DrillRestore(backupId, recovery, download, restore, log, walRestore);
    }

    /// <summary>restore_command's log (none when a sidecar fetched): what PostgreSQL asked for and each call to the store.</summary>
    private static async Task<WalRestoreLog?> AttachWalRestoreLogAsync(RestoredInstance restored, DrillJournal journal, CancellationToken ct)
    {
        if (restored.HasSidecar) return null;
        var walRestore = await restored.WalRestoreLogAsync(ct);
        journal.Attach("restore_command log (CNPG-style wal-restore)", walRestore.Text);
        journal.Parameter("barman-cloud-wal-restore calls", walRestore.Calls.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return walRestore;
    }
}
