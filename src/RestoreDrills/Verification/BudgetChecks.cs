using RestoreDrills.Configuration;

namespace RestoreDrills.Verification;

/// <summary>Timing objectives: each measured time against its budget from nunit.runsettings / the environment.</summary>
public static class BudgetChecks
{
    public static IReadOnlyList<CheckResult> Evaluate(DrillTimings t, DrillBudgets b) =>
    [
        Within("backup duration", t.BackupSeconds, b.Backup, "RESTOREDRILLS_BUDGET_BACKUP_SECONDS"),
        Within("WAL archive lag", t.WalArchiveLagSeconds, b.WalArchiveLag, "RESTOREDRILLS_BUDGET_WAL_ARCHIVE_LAG_SECONDS"),
        Within("RTO (download to promoted)", t.RestoreSeconds, b.Rto, "RESTOREDRILLS_BUDGET_RTO_SECONDS"),
        Within("RPO (target vs last replayed commit)", t.RpoSeconds, b.Rpo, "RESTOREDRILLS_BUDGET_RPO_SECONDS"),
    ];

    /// <param name="kind">Budget, unless the time measures something else (a backup's age is a backup fault in every drill).</param>
    public static CheckResult Within(string what, double seconds, TimeSpan budget, string setting, CheckKind kind = CheckKind.Budget) =>
        seconds <= budget.TotalSeconds
            ? CheckResult.Pass(kind, $"{what} within budget", $"{seconds:0.000} s <= {budget.TotalSeconds:0.###} s")
            : CheckResult.Fail(kind, $"{what} within budget", $"{what} {seconds:0.000} s exceeds the budget of {budget.TotalSeconds:0.###} s ({setting})");
}
