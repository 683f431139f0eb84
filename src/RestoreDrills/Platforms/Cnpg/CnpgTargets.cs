using RestoreDrills.RecoveryTargets;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// Recovery targets a drill can set from a backup alone, without writing to the production source: a moment
/// after the backup ended, the first byte of the WAL segment after its last, the backup itself (immediate), or the
/// end of the archive (latest). Time and LSN targets are drillable only once the source has archived WAL past them
/// (<see cref="SourceArchive"/>). xid and name targets need a transaction or a restore point made on the source.
/// </summary>
public static class CnpgTargets
{
    /// <summary>After the end: barman lists backup end times to the second, and CNPG finds no backup for a target equal to its end.</summary>
    public static readonly TimeSpan AfterBackupEnd = TimeSpan.FromSeconds(2);

    public static RecoveryTarget For(RecoveryTargetKind kind, BackupStatus backup) => kind switch
    {
        RecoveryTargetKind.Time => RecoveryTarget.Time((backup.StoppedAt ?? throw Missing(backup, "stoppedAt")) + AfterBackupEnd),
        // Not endLSN itself: CNPG (barman-cloud's catalog) takes only a backup whose end LSN is strictly below the
        // target, so it would restore an older backup, or find none. The next segment's start is past the backup and
        // is reached by replaying the first record of that segment, once it is archived.
        RecoveryTargetKind.Lsn => RecoveryTarget.Lsn(new Backups.WalPosition(NextSegment(backup).StartLsn(SegmentSize(backup))).ToString()),
        RecoveryTargetKind.Immediate => RecoveryTarget.Immediate(backup.BackupId ?? throw Missing(backup, "backupId")),
        RecoveryTargetKind.Latest => RecoveryTarget.Latest(),
        _ => throw new NotSupportedException($"a {kind.Id()} target needs a transaction or restore point made on the source: the CNPG drill does not write to it"),
    };

    /// <summary>The WAL segment after the backup's last one: its archival proves WAL past an LSN target.</summary>
    public static Inventory.WalSegmentName NextSegment(BackupStatus backup) =>
        Inventory.WalSegmentName.Parse(backup.EndWal ?? throw Missing(backup, "endWal")).Next(SegmentSize(backup));

    /// <summary>
    /// The source's WAL segment size, as the backup's own end LSN and end segment name agree on it (CNPG's
    /// initdb walSegmentSize: 1 MB to 1 GB, 16 MB by default): segment names and LSNs only line up for the right one.
    /// </summary>
    public static long SegmentSize(BackupStatus backup)
    {
        const long standard = Inventory.WalSegmentName.DefaultSegmentSize;
        if (backup.EndWal is null || backup.EndLsn is null || !Inventory.WalSegmentName.TryParse(backup.EndWal, out var end)) return standard;
        var lsn = Backups.WalPosition.Parse(backup.EndLsn).Value;
        var agreeing = Enumerable.Range(20, 11).Select(bits => 1L << bits)
            .Where(size => Inventory.WalSegmentName.Containing(end.Timeline, lsn, size) == end).ToList();
        return agreeing.Contains(standard) || agreeing.Count != 1 ? standard : agreeing[0];
    }

    private static InvalidOperationException Missing(BackupStatus backup, string field) =>
        new($"Backup {backup.Name} is completed but its status has no {field}");
}
