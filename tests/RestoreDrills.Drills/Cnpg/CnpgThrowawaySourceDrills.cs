using NUnit.Framework;
using RestoreDrills.Configuration;
using RestoreDrills.Platforms.Cnpg;
using RestoreDrills.Platforms.Cnpg.ThrowawaySource;
using RestoreDrills.Reporting;

namespace RestoreDrills.Drills.Cnpg;

/// <summary>
/// The full card on a real CloudNative-PG cluster, in sources of the drills' own: per target, a source Cluster is
/// created, seeded, backed up, given markers, a target and changes after it, restored into a new Cluster and verified
/// row by row against the source at the target; both clusters are always deleted. What runs against a staging cluster
/// before an upgrade: `dotnet test tests/RestoreDrills.Drills --settings nunit.runsettings --filter Category=Cnpg`.
/// </summary>
[TestFixture]
[Category("Cnpg")]
public sealed class CnpgThrowawaySourceDrills : LiveClusterDrills
{
    public static IEnumerable<TestCaseData> Drills() =>
        DrillCases.Of(CnpgDrillCatalog.ThrowawaySource);

    public static IEnumerable<TestCaseData> AfterSwitchover() =>
        DrillCases.Of(CnpgDrillCatalog.ThrowawaySourceAfterSwitchover);

    [TestCaseSource(nameof(Drills))]
    [AllureDrill]
    public Task Backup_of_a_drill_source_restores_on_CloudNativePG_row_by_row(DrillDefinition definition) =>
        RunAsync(definition, switchOverAfterBackup: false);

    [TestCaseSource(nameof(AfterSwitchover))]
    [AllureDrill]
    public Task Backup_of_a_drill_source_restores_across_its_switchover_row_by_row(DrillDefinition definition) =>
        RunAsync(definition, switchOverAfterBackup: true);

    private async Task RunAsync(DrillDefinition definition, bool switchOverAfterBackup)
    {
        LiveCluster.Require();
        if (!LiveCluster.Settings.ThrowawaySources)
            Assert.Ignore("RESTOREDRILLS_CNPG_THROWAWAY_SOURCES=false: the drills that create their own source cluster are not run against this cluster");
        var seed = SeedPlan.Read(new SettingsReader(name => TestContext.Parameters.Get(name)));
        await DrillAsync((api, schemas, journal) =>
            new ThrowawaySourceDrill(api, LiveCluster.Settings, schemas, journal, RunId, seed) { SwitchOverAfterBackup = switchOverAfterBackup }
                .RunAsync(definition.Kind!.Value, DrillRun.Token));
    }
}
