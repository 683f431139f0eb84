using NUnit.Framework;
using RestoreDrills.Drills;
using RestoreDrills.RecoveryTargets;

namespace RestoreDrills.Drills.Containers;

/// <summary>
/// The restore drills, one per recovery target, each the whole runbook on throwaway containers:
/// seed → back up → set the target → change data after it → restore to the target → verify → report.
/// </summary>
[TestFixture]
[Category("Drill")]
public sealed class RecoveryTargetDrills
{
    public static IEnumerable<TestCaseData> Drills() =>
        DrillCases.Of(DrillCatalog.RecoveryTargets, d => d.Kind);

    [TestCaseSource(nameof(Drills))]
    [AllureDrill]
    public async Task Backup_restores_to_its_recovery_target(RecoveryTargetKind kind)
    {
        var journal = AllureDrillAttribute.Journal;
        await using var drill = new RestoreDrill(DrillRun.Platform, kind, journal);

        var outcome = await DrillVerdict.RunAsync(() => drill.RunAsync(DrillRun.Token));
        DrillVerdict.AssertPassed(outcome.Checks, journal);
    }
}
