using RestoreDrills.Failures;
using RestoreDrills.RecoveryTargets;
using RestoreDrills.Verification;

namespace RestoreDrills.Drills;

/// <summary>
/// The verdict of one drill, whatever its platform (containers, an existing store, CNPG): what was restored (target,
/// backup), every check with its kind, the times it could measure, and the restored copy. A report, a test verdict
/// and the summary all read it the same way.
/// </summary>
public sealed record DrillOutcome(RecoveryTarget Target, string BackupId, IReadOnlyList<CheckResult> Checks, DrillTimings Timings)
{
    /// <summary>The restored copy: its name (a container's drill id, a restored Cluster), and the database and user its data was read as.</summary>
    public sealed record RestoredCopy(string Name, string? Database = null, string? User = null);

    public RestoredCopy? Restored { get; init; }

    public IReadOnlyList<CheckResult> Failures => CheckVerdict.Failures(Checks);
    public bool Passed => Failures.Count == 0;

    /// <summary>The result message: every failed check's cause, one per line.</summary>
    public string FailureMessage => CheckVerdict.Message(Checks);

    /// <summary>The cause of the first failure: budgets are judged only when the data is right.</summary>
    public FailureCause? Cause => CheckVerdict.Cause(Checks);
}
