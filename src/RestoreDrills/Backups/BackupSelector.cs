using System.Globalization;
using RestoreDrills.RecoveryTargets;

namespace RestoreDrills.Backups;

/// <summary>
/// Chooses the base backup a restore starts from, as CloudNative-PG does (barman-cloud's catalog): for a time
/// target, the newest completed backup that ended at or before it; for an LSN target, the newest whose end LSN is
/// strictly below it (a target equal to a backup's end LSN does not pick that backup); for every other target, the
/// explicit backup id it carries.
/// </summary>
public static class BackupSelector
{
    /// <summary>
    /// barman lists end times to the second (truncated): a backup counts as ended before a time target only if it
    /// ended at least a whole second before it, so a backup that ended just after the target is never picked.
    /// </summary>
    public static readonly TimeSpan EndTimeResolution = TimeSpan.FromSeconds(1);

    public static BaseBackup Select(IReadOnlyList<BaseBackup> backups, RecoveryTarget target)
    {
        var done = backups.Where(b => b.Status == "DONE").ToList();
        if (target.BackupId is { } id)
            return done.SingleOrDefault(b => b.BackupId == id)
                ?? throw new BackupSelectionException($"backup '{id}' is not among the completed backups ({Ids(done)})");

        IEnumerable<BaseBackup> candidates = target.Kind switch
        {
            RecoveryTargetKind.Time => done.Where(b => b.EndTime + EndTimeResolution <= ParseTime(target.Value)),
            RecoveryTargetKind.Lsn => done.Where(b => WalPosition.Parse(b.EndLsn) < WalPosition.Parse(target.Value)),
            RecoveryTargetKind.Latest => done,
            _ => throw new BackupSelectionException($"a {target.Kind.Id()} target needs an explicit backup id (as CNPG's backupID)"),
        };
        return candidates.OrderBy(b => b.EndTime).ThenBy(b => WalPosition.Parse(b.EndLsn)).LastOrDefault()
            ?? throw new BackupSelectionException(
                $"no completed backup ended before the target {target} (backups: {Ids(done)}): the target is before the first recoverability point");
    }

    private static DateTimeOffset ParseTime(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);

    private static string Ids(IEnumerable<BaseBackup> backups)
    {
        var ids = string.Join(", ", backups.Select(b => b.BackupId));
        return ids.Length == 0 ? "none" : ids;
    }
}
