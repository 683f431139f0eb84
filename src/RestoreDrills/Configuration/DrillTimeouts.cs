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
    public required TimeSpan Switchover { get; init; }

    public static DrillTimeouts Read(SettingsReader s) => new()
    {
        ContainerStart = s.Duration(SettingsTable.TimeoutContainerStart),
        BackupCompletes = s.Duration(SettingsTable.TimeoutBackup),
        WalArchived = s.Duration(SettingsTable.TimeoutWalArchived),
        RestoreDownload = s.Duration(SettingsTable.TimeoutRestoreDownload),
        RecoveryEnds = s.Duration(SettingsTable.TimeoutRecovery),
        Switchover = s.Duration(SettingsTable.TimeoutSwitchover),
    };
}
