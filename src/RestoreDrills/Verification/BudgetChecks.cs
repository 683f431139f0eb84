using RestoreDrills.Configuration;

namespace RestoreDrills.Verification;

/// <summary>Timing objectives: each measured time against its budget from nunit.runsettings / the environment.</summary>
public static class BudgetChecks
{
    /// <summary>Each time the drill measured against its budget; a time it could not measure (null) is not judged.</summary>
    public static IReadOnlyList<CheckResult> Evaluate(DrillTimings t, DrillBudgets b) =>
    [
        .. Measured("backup duration", t.BackupSeconds, b.Backup, SettingsTable.BudgetBackup),
        .. Measured("WAL archive lag", t.WalArchiveLagSeconds, b.WalArchiveLag, SettingsTable.BudgetWalArchiveLag),
        Within("RTO (download to promoted)", t.RestoreSeconds, b.Rto, SettingsTable.BudgetRto),
        .. Measured("RPO (target vs last replayed commit)", t.RpoSeconds, b.Rpo, SettingsTable.BudgetRpo),
    ];

    private static IEnumerable<CheckResult> Measured(string what, double? seconds, TimeSpan budget, Setting setting) =>
        seconds is { } value ? [Within(what, value, budget, setting)] : [];

    /// <param name="kind">Budget, unless the time measures something else (a backup's age is a backup fault in every drill).</param>
    public static CheckResult Within(string what, double seconds, TimeSpan budget, Setting setting, CheckKind kind = CheckKind.Budget) =>
        seconds <= budget.TotalSeconds
            ? CheckResult.Pass(kind, $"{what} within budget", $"{seconds:0.000} s <= {budget.TotalSeconds:0.###} s")
            : CheckResult.Fail(kind, $"{what} within budget", $"{what} {seconds:0.000} s exceeds the budget of {budget.TotalSeconds:0.###} s ({setting})");
}
