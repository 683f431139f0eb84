namespace RestoreDrills.Configuration;

/// <summary>
/// How long each waiting step may take before the drill gives up with a named timeout.
/// These bound waiting, they are not objectives: objectives are <see cref="DrillBudgets"/>.
/// </summary>
public sealed record DrillTimeouts
{
    public required TimeSpan ContainerStart { get; init; }
    public required TimeSpan BackupCompletes { get; init; }
    public required TimeSpan WalArchived { get; init; }
    public required TimeSpan RestoreDownload { get; init; }
    public required TimeSpan RecoveryEnds { get; init; }

    public static DrillTimeouts Read(SettingsReader s) => new()
    {
        ContainerStart = s.Seconds("RESTOREDRILLS_TIMEOUT_CONTAINER_START_SECONDS", 120),
        BackupCompletes = s.Seconds("RESTOREDRILLS_TIMEOUT_BACKUP_SECONDS", 600),
        WalArchived = s.Seconds("RESTOREDRILLS_TIMEOUT_WAL_ARCHIVED_SECONDS", 60),
        RestoreDownload = s.Seconds("RESTOREDRILLS_TIMEOUT_RESTORE_DOWNLOAD_SECONDS", 600),
        RecoveryEnds = s.Seconds("RESTOREDRILLS_TIMEOUT_RECOVERY_SECONDS", 600),
    };
}
