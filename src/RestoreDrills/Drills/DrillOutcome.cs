using RestoreDrills.RecoveryTargets;
using RestoreDrills.Verification;

namespace RestoreDrills.Drills;

/// <summary>The verdict of one drill: every check with its detail, the timings, and what was restored.</summary>
public sealed record DrillOutcome(RecoveryTarget Target, string BackupId, IReadOnlyList<CheckResult> Checks, DrillTimings Timings)
{
    public IReadOnlyList<CheckResult> Failures => CheckVerdict.Failures(Checks);
    public bool Passed => Failures.Count == 0;

    /// <summary>The result message: every failed check's cause, one per line.</summary>
    public string FailureMessage => CheckVerdict.Message(Checks);

    /// <summary>The cause of the first failure: budgets are judged only when the data is right.</summary>
    public FailureCause? Cause => CheckVerdict.Cause(Checks);
}
