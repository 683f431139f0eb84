using RestoreDrills.RecoveryTargets;
using RestoreDrills.Verification;

namespace RestoreDrills.Drills;

/// <summary>The verdict of an existing-store drill: its checks and the times it could measure without the source.</summary>
public sealed record StoreDrillOutcome(RecoveryTarget Target, string BackupId, IReadOnlyList<CheckResult> Checks, StoreDrillTimings Timings)
{
    public IReadOnlyList<CheckResult> Failures => CheckVerdict.Failures(Checks);
    public bool Passed => Failures.Count == 0;
    public string FailureMessage => CheckVerdict.Message(Checks);
    public FailureCause? Cause => CheckVerdict.Cause(Checks);
}
