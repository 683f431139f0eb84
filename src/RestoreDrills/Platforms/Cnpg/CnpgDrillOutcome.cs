using RestoreDrills.Drills;
using RestoreDrills.RecoveryTargets;
using RestoreDrills.Verification;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>What a CNPG drill proved: which backup restored to which target, how long until ready, and each check.</summary>
public sealed record CnpgDrillOutcome(
    string ClusterName, BackupStatus Backup, RecoveryTarget Target, TimeSpan ReadyAfter, CnpgConnection Connection,
    IReadOnlyList<CheckResult> Checks)
{
    public IReadOnlyList<CheckResult> Failures => CheckVerdict.Failures(Checks);
    public bool Passed => Failures.Count == 0;
    public string FailureMessage => CheckVerdict.Message(Checks);
    public FailureCause? Cause => CheckVerdict.Cause(Checks);
}
