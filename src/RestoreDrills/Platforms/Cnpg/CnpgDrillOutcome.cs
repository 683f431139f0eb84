using RestoreDrills.Drills;
using RestoreDrills.RecoveryTargets;
using RestoreDrills.Verification;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>What a CNPG drill proved: which backup restored to which target, how long until ready, and each check.</summary>
public sealed record CnpgDrillOutcome(
    string ClusterName, BackupStatus Backup, RecoveryTarget Target, TimeSpan ReadyAfter, CnpgConnection Connection,
    IReadOnlyList<CheckResult> Checks)
{
    public IReadOnlyList<CheckResult> Failures => Checks.Where(c => !c.Passed).ToList();
    public bool Passed => Failures.Count == 0;

    /// <summary>The result message: every failed check's cause, one per line.</summary>
    public string FailureMessage => Passed ? "" :
        $"{Failures.Count} of {Checks.Count} checks failed:\n" + string.Join('\n', Failures.Select(f => $"- {f.Name}: {f.Detail}"));

    /// <summary>As the containers drills: budgets alone → budget exceeded; anything else is about the data.</summary>
    public FailureCause? Cause =>
        Passed ? null : Failures.All(f => f.Name.EndsWith("within budget", StringComparison.Ordinal)) ? FailureCause.BudgetExceeded : FailureCause.IntegrityViolation;
}
