using NUnit.Framework;
using RestoreDrills.Platforms.Cnpg;
using RestoreDrills.Platforms.Cnpg.Manifests;
using RestoreDrills.Reporting;

namespace RestoreDrills.Drills.Cnpg;

/// <summary>
/// What the drills on a live cluster share: the run id that labels every cluster they create, one sweep of what
/// killed runs left behind before the first of them starts, and the way one drill runs and becomes a verdict.
/// </summary>
public abstract class LiveClusterDrills
{
    protected static readonly string RunId = DrillRun.RunId.ToLowerInvariant();

    [OneTimeSetUp]
    public Task SweepLeftoversAsync() => LiveCluster.SweepLeftoversOnceAsync(RunId);

    /// <summary>Connects to the cluster, runs the drill with its API, schemas and journal, and fails the test on any failed check.</summary>
    protected static async Task DrillAsync(Func<CnpgApi, CrdSchemas, DrillJournal, Task<DrillOutcome>> drill)
    {
        var configuration = LiveCluster.Require();
        var journal = AllureDrillAttribute.Journal;
        using var api = LiveCluster.Connect(configuration);
        var schemas = await LiveCluster.SchemasAsync(configuration);
        var outcome = await DrillVerdict.RunAsync(() => drill(api, schemas, journal));
        DrillVerdict.AssertPassed(outcome.Checks, journal);
    }
}
