using RestoreDrills.RecoveryTargets;
using RestoreDrills.Verification;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>What a CNPG drill proved: which backup restored to which target, how long until ready, and each check.</summary>
public sealed record CnpgDrillOutcome(
    string ClusterName, BackupStatus Backup, RecoveryTarget Target, TimeSpan ReadyAfter, CnpgConnection Connection,
    IReadOnlyList<CheckResult> Checks)
{
    public bool Passed => Checks.All(c => c.Passed);
}
