using NUnit.Framework;
using RestoreDrills.Drills;
using RestoreDrills.RecoveryTargets;
using RestoreDrills.Reporting;

namespace RestoreDrills.Drills.Containers;

/// <summary>
/// The upgrade drills (./scripts/drill --upgrade): a backup barman-cloud of one version wrote, restored to the end of the
/// archive by the next version's barman-cloud in a sidecar, the whole runbook otherwise as in the recovery-target drills.
/// </summary>
[TestFixture]
[Category("Upgrade")]
public sealed class BarmanUpgradeDrills
{
    public static IEnumerable<TestCaseData> Drills() => DrillCatalog.BarmanUpgrades.Select(u =>
        new TestCaseData(u.Drill, u.WritingMajor, u.RestoringMajor).SetName($"{u.Drill.Id} {u.Drill.Title}").SetDescription(u.Drill.Proves));

    [TestCaseSource(nameof(Drills))]
    [AllureDrill]
    public async Task A_backup_restores_with_the_next_barman_cloud(DrillDefinition definition, int writingMajor, int restoringMajor)
    {
        var journal = AllureDrillAttribute.Journal;
        await using var drill = new RestoreDrill(DrillRun.Platform, RecoveryTargetKind.Latest, journal) { Upgrade = BarmanUpgrade.Between(writingMajor, restoringMajor) };

        var outcome = await DrillVerdict.RunAsync(() => drill.RunAsync(DrillRun.Token));
        DrillVerdict.AssertPassed(outcome.Checks, journal);
    }
}
