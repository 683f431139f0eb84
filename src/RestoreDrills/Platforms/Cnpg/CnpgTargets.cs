using RestoreDrills.RecoveryTargets;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// Recovery targets a drill can set from a backup alone, without writing to the production source: a moment
/// after the backup ended, its end LSN, the backup itself (immediate), or the end of the archive (latest).
/// xid and name targets need a transaction or a restore point made on the source for the drill.
/// </summary>
public static class CnpgTargets
{
    /// <summary>After the end: barman lists backup end times to the second, and CNPG finds no backup for a target equal to its end.</summary>
    public static readonly TimeSpan AfterBackupEnd = TimeSpan.FromSeconds(2);

    public static RecoveryTarget For(RecoveryTargetKind kind, BackupStatus backup) => kind switch
    {
        RecoveryTargetKind.Time => RecoveryTarget.Time((backup.StoppedAt ?? throw Missing(backup, "stoppedAt")) + AfterBackupEnd),
        RecoveryTargetKind.Lsn => RecoveryTarget.Lsn(backup.EndLsn ?? throw Missing(backup, "endLSN")),
        RecoveryTargetKind.Immediate => RecoveryTarget.Immediate(backup.BackupId ?? throw Missing(backup, "backupId")),
        RecoveryTargetKind.Latest => RecoveryTarget.Latest(),
        _ => throw new NotSupportedException($"a {kind.Id()} target needs a transaction or restore point made on the source: the CNPG drill does not write to it"),
    };

    private static InvalidOperationException Missing(BackupStatus backup, string field) =>
        new($"Backup {backup.Name} is completed but its status has no {field}");
}
