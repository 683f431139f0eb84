namespace RestoreDrills.Configuration;

/// <summary>
/// The objectives a drill is judged against: exceeding one fails the drill ("timing budget exceeded").
/// RTO: base backup download until the restored server is promoted. RPO: recovery target vs the last
/// commit replayed. Backup: barman-cloud-backup wall time. WAL archive lag: WAL switch until archived.
/// </summary>
public sealed record DrillBudgets
{
    public required TimeSpan Backup { get; init; }
    public required TimeSpan Rto { get; init; }
    public required TimeSpan Rpo { get; init; }
    public required TimeSpan WalArchiveLag { get; init; }

    public static DrillBudgets Read(SettingsReader s) => new()
    {
        Backup = s.Duration(SettingsTable.BudgetBackup),
        Rto = s.Duration(SettingsTable.BudgetRto),
        Rpo = s.Duration(SettingsTable.BudgetRpo),
        WalArchiveLag = s.Duration(SettingsTable.BudgetWalArchiveLag),
    };
}
