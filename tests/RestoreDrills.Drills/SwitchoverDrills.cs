using NUnit.Framework;
using RestoreDrills.Drills;
using RestoreDrills.Platforms.Containers;
using RestoreDrills.RecoveryTargets;
using RestoreDrills.Reporting;

namespace RestoreDrills.Drills.Containers;

/// <summary>
/// The drill of a source that changed timeline, as CNPG clusters do on every switchover: the whole runbook, with the
/// source switched over after its base backup and a row written on each new timeline, restored to the end of the archive.
/// </summary>
[TestFixture]
[Category("Drill")]
public sealed class SwitchoverDrills
{
    public static IEnumerable<TestCaseData> Drills() => DrillCatalog.AfterTimelineChanges.Select(d =>
        new TestCaseData(d.Drill, d.Changes).SetName($"{d.Drill.Id} {d.Drill.Title}").SetDescription(d.Drill.Proves));

    [TestCaseSource(nameof(Drills))]
    [AllureDrill]
    public async Task Backup_restores_to_the_end_of_the_archive_across_timelines(DrillDefinition definition, IReadOnlyList<TimelineChangeKind> changes)
    {
        var journal = AllureDrillAttribute.Journal;
        await using var drill = new RestoreDrill(DrillRun.Platform, RecoveryTargetKind.Latest, journal) { TimelineChanges = changes };

        var outcome = await DrillVerdict.RunAsync(() => drill.RunAsync(DrillRun.Token));
        DrillVerdict.AssertPassed(outcome.Checks, journal);
    }
}
