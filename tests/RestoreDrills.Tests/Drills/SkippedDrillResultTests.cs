using System.Diagnostics;

namespace RestoreDrills.Tests.Drills;

/// <summary>
/// A drill that cannot run is in the report, skipped with the reason: the drills project run for real (`dotnet test`)
/// with a CNPG drill and no cluster. Failed before: an ignored drill wrote no result, so the report did not show it at all.
/// </summary>
[TestFixture]
[Category("Containers")]
[NonParallelizable]
public sealed class SkippedDrillResultTests
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(4);

    [Test]
    public async Task A_drill_that_cannot_run_is_in_the_report_as_skipped_with_the_reason()
    {
        var results = Path.Combine(ContainersRun.Scratch.ResultsDirectory, "skipped-" + Guid.NewGuid().ToString("N")[..6]);
        var start = new ProcessStartInfo("dotnet");
        foreach (var arg in new[]
                 {
                     "test", Path.Combine(RepositoryPaths.Root, "tests", "RestoreDrills.Drills", "RestoreDrills.Drills.csproj"), "--no-build",
                     "--settings", Path.Combine(RepositoryPaths.Root, "nunit.runsettings"), "--filter", "Name~CNPG-RESTORE-LATEST&FullyQualifiedName~CnpgLiveDrills",
                 })
            start.ArgumentList.Add(arg);
        start.Environment["RESTOREDRILLS_RESULTS_DIR"] = results;
        // No cluster for this run, whatever the surrounding one has (./scripts/test exports the double's kubeconfig).
        foreach (var name in new[] { "RESTOREDRILLS_KUBECONFIG", "RESTOREDRILLS_KUBECONFIG_DATA", "KUBECONFIG", "RESTOREDRILLS_REQUIRE_CLUSTER", "KUBERNETES_SERVICE_HOST" })
            start.Environment.Remove(name);
        start.Environment["KUBECONFIG"] = Path.Combine(results, "no-such-kubeconfig");

        var said = (await BoundedRun.RunAsync(start, RunLimit, "the drills run")).Output;

        var drills = Directory.EnumerateFiles(results, "*-result.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!)
            .Where(r => r["name"]!.GetValue<string>().StartsWith("CNPG-RESTORE-LATEST", StringComparison.Ordinal)).ToList();
        Assert.That(drills, Has.Count.EqualTo(1), $"one result for the drill that did not run; the run said:\n{said}");
        Assert.Multiple(() =>
        {
            Assert.That(drills[0]["status"]!.GetValue<string>(), Is.EqualTo("skipped"));
            Assert.That(drills[0]["statusDetails"]?["message"]?.GetValue<string>(), Does.StartWith("CNPG live drills need a Kubernetes cluster with CloudNative-PG"));
        });
    }
}
