using System.Diagnostics;
using System.Globalization;
using RestoreDrills.Drills;
using RestoreDrills.Failures;
using RestoreDrills.Inventory;
using RestoreDrills.Platforms.Cnpg.Manifests;
using RestoreDrills.RecoveryTargets;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// How far the source's WAL archive has come, as CNPG reports it from pg_stat_archiver (status.lastArchivedWAL,
/// status.lastArchivedWALTime). A time or LSN target is drillable once WAL past it is archived: replay must reach a
/// record beyond the target, or PostgreSQL ends with "recovery ended before configured recovery target was reached"
/// (cloudnative-pg#5177), a false failure the drill would cause itself. A source that commits keeps archiving; one too
/// quiet to pass the target within the timeout is "not drillable tonight".
/// </summary>
public static class SourceArchive
{
    /// <summary>A segment archived this long after a time target holds commits after it, on a source that commits steadily.</summary>
    public static readonly TimeSpan PastTimeTarget = TimeSpan.FromSeconds(1);

    public static async Task WaitPastAsync(CnpgApi api, CnpgSettings settings, BackupStatus backup, RecoveryTarget target, Action<string> progress, CancellationToken ct)
    {
        if (target.Kind is not (RecoveryTargetKind.Time or RecoveryTargetKind.Lsn)) return;
        var needed = target.Kind == RecoveryTargetKind.Lsn ? $"segment {SegmentHolding(backup, target)}" : $"WAL archived after {target.Value}";
        var wait = new Poll($"WAL archived past the {target.Kind.Id()} target", settings.ArchiveTimeout, Configuration.SettingsTable.TimeoutCnpgArchive.Name, settings.PollInterval);
        var last = await wait.UntilAsync(async (_, token) =>
        {
            var source = await api.GetAsync(CnpgResources.Clusters, settings.SourceCluster, token)
                         ?? throw new CnpgSetupException($"source cluster {settings.SourceCluster} disappeared while the drill waited for its archive");
            // Archiving that breaks after the preflight is a verdict on the backups, not a quiet night.
            if (!CnpgPreflight.ContinuousArchiving(source).Passed)
                throw new DrillFailure(FailureCause.WalArchivingFailed,
                    $"the source {settings.SourceCluster} stopped archiving while the drill waited for WAL past the {target.Kind.Id()} target: {CnpgPreflight.ContinuousArchiving(source).Result.Detail}");
            var status = source["status"];
            var wal = status?["lastArchivedWAL"]?.GetValue<string>();
            var at = status?["lastArchivedWALTime"]?.GetValue<string>();
            var seen = $"{wal ?? "none"} at {at ?? "unknown"}";
            return IsPast(backup, target, wal, at) ? Poll.Answer<string>.Of(seen) : Poll.Answer<string>.NotYet(seen);
        }, seen =>
        {
            var message = $"not drillable tonight: the source {settings.SourceCluster} archived no WAL past the {target.Kind.Id()} target within " +
                          $"{settings.ArchiveTimeout.TotalSeconds:0} s (RESTOREDRILLS_TIMEOUT_CNPG_ARCHIVE_SECONDS; needed {needed}, last archived {seen}): " +
                          "it is too quiet to hold this target; the immediate and latest drills still restore tonight's backup";
            // Against a source known to commit steadily (the test double), a quiet night is a fault of the drill's own.
            return settings.RequireDrillable
                ? new DrillFailure(FailureCause.WalArchivingFailed, message + " (RESTOREDRILLS_CNPG_REQUIRE_DRILLABLE=true)")
                : new NotDrillableException(message);
        }, ct);
        progress($"the source has archived {needed}: last archived {last}");
    }

    /// <summary>
    /// The segment whose archival puts a record at or past an LSN target in the archive: the target's own segment when
    /// the target is its first byte; else the one after (the last record of a segment may start before the target).
    /// </summary>
    public static WalSegmentName SegmentHolding(BackupStatus backup, RecoveryTarget target)
    {
        var lsn = Backups.WalPosition.Parse(target.Value).Value;
        var timeline = WalSegmentName.Parse(backup.EndWal ?? backup.BeginWal ?? throw new InvalidOperationException($"Backup {backup.Name} has no WAL")).Timeline;
        var size = CnpgTargets.SegmentSize(backup);
        var segment = WalSegmentName.Containing(timeline, lsn, size);
        return segment.StartLsn(size) == lsn ? segment : segment.Next(size);
    }

    public static bool IsPast(BackupStatus backup, RecoveryTarget target, string? lastArchivedWal, string? lastArchivedTime)
    {
        // A .backup or .partial file names its segment first; a .history file names no segment.
        if (lastArchivedWal is not { Length: >= 24 } || !WalSegmentName.TryParse(lastArchivedWal[..24], out var archived)) return false;
        // Past a time target too only with a segment after the backup's own: its last segment (or .backup file) is often
        // archived a second or two after the target, yet holds nothing written after it.
        var needed = target.Kind == RecoveryTargetKind.Lsn ? SegmentHolding(backup, target) : CnpgTargets.NextSegment(backup);
        // A later timeline (a switchover since the backup) carries the WAL on: its segment numbers continue the LSNs.
        var size = CnpgTargets.SegmentSize(backup);
        if (archived.Timeline < needed.Timeline || archived.Ordinal(size) < needed.Ordinal(size)) return false;
        return target.Kind == RecoveryTargetKind.Lsn
               || DateTimeOffset.TryParse(lastArchivedTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
               && at >= DateTimeOffset.Parse(target.Value, CultureInfo.InvariantCulture) + PastTimeTarget;
    }
}
