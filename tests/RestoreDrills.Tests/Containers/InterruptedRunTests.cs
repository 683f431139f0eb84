using System.Diagnostics;
using Docker.DotNet.Models;

namespace RestoreDrills.Tests.Containers;

/// <summary>
/// A real drill run (the drills project under `dotnet test`) interrupted mid-restore: killed outright, its
/// containers survive until the next run's sweep removes them; cancelled (SIGTERM), it removes its own.
/// </summary>
[TestFixture]
[Category("Containers")]
[NonParallelizable]
public sealed class InterruptedRunTests
{
    private static readonly TimeSpan RestoreStarts = TimeSpan.FromMinutes(3);

    private static Process StartDrillRun()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     "test", Path.Combine(RepositoryPaths.Root, "tests", "RestoreDrills.Drills", "RestoreDrills.Drills.csproj"),
                     "--settings", Path.Combine(RepositoryPaths.Root, "nunit.runsettings"), "--filter", "Name~DR-PITR-XID",
                 })
            start.ArgumentList.Add(arg);
        start.Environment["RESTOREDRILLS_RESULTS_DIR"] = Path.Combine(ContainersRun.Scratch.ResultsDirectory, "interrupted-" + Guid.NewGuid().ToString("N")[..6]);
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    /// <summary>Waits until the other run has created its restored server (the empty container a restore goes into).</summary>
    private static async Task<ContainerListResponse> WaitForRestoreAsync(Process run)
    {
        using var client = DockerEngine.CreateClient();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < RestoreStarts && !run.HasExited)
        {
            var all = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true });
            // Only the run this test started: other runs on the same engine (another worktree's tests, a benchmark)
            // restore too, and their test hosts must never be the ones killed.
            var restored = all.FirstOrDefault(c => c.Labels.TryGetValue(ResourceLabels.Run, out var r) && r != ContainersRun.RunId
                                                   && c.Command.Contains("sleep infinity", StringComparison.Ordinal)
                                                   && c.Labels.TryGetValue(ResourceLabels.OwnerPid, out var owner)
                                                   && IsDescendantOf(int.Parse(owner, System.Globalization.CultureInfo.InvariantCulture), run.Id));
            if (restored is not null) return restored;
            await Task.Delay(250);
        }
        throw new AssertionException($"the drill run did not reach its restore within {RestoreStarts} (exited: {run.HasExited})");
    }

    /// <summary>Whether a process descends from another, by the parent pids in /proc (bounded walk).</summary>
    private static bool IsDescendantOf(int pid, int ancestor)
    {
        for (var i = 0; i < 64 && pid > 1; i++)
        {
            if (pid == ancestor) return true;
            string stat;
            try { stat = File.ReadAllText($"/proc/{pid}/stat"); }
            catch (IOException) { return false; }
            // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
            pid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        return false;
    }

    private static async Task<(int Containers, int Networks)> ResourcesOfRunAsync(string runId)
    {
        using var client = DockerEngine.CreateClient();
        var filter = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ResourceLabels.Run}={runId}"] = true } };
        var containers = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter });
        var networks = await client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filter });
        return (containers.Count, networks.Count);
    }

    /// <summary>What a run left, for the failure message: each container's image, state and command.</summary>
    private static string LeftOf(string runId)
    {
        using var client = DockerEngine.CreateClient();
        var filter = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ResourceLabels.Run}={runId}"] = true } };
        var containers = client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter }).GetAwaiter().GetResult();
        return string.Join("; ", containers.Select(c => $"{c.Image} {c.State} '{c.Command}' created {c.Created:O}"));
    }

    /// <summary>The other run swept leftovers at its start: it must have taken this (live) run's Azurite and network for alive.</summary>
    private static async Task AssertThisRunIsIntactAsync()
    {
        var (containers, networks) = await ResourcesOfRunAsync(ContainersRun.RunId);
        Assert.That((containers > 0, networks), Is.EqualTo((true, 1)), "a live run's resources survive another run's sweep");
    }

    [Test]
    public async Task A_run_killed_mid_restore_is_swept_by_the_next_run()
    {
        using var run = StartDrillRun();
        var restored = await WaitForRestoreAsync(run);
        var runId = restored.Labels[ResourceLabels.Run];
        // SIGKILL the test host that owns the containers (it runs apart from the `dotnet test` process tree).
        using var host = Process.GetProcessById(int.Parse(restored.Labels[ResourceLabels.OwnerPid], System.Globalization.CultureInfo.InvariantCulture));
        host.Kill();
        await host.WaitForExitAsync();
        run.Kill(entireProcessTree: true);
        await run.WaitForExitAsync();

        var left = await ResourcesOfRunAsync(runId);
        Assert.That(left.Containers, Is.GreaterThanOrEqualTo(3), "a killed run cannot clean up: Azurite, source and restored server stay");

        await ResourceSweeper.SweepLeftoversAsync(); // what the next run does first
        Assert.That(await ResourcesOfRunAsync(runId), Is.EqualTo((0, 0)));
        await AssertThisRunIsIntactAsync();
    }

    [Test]
    public async Task A_run_cancelled_mid_restore_removes_its_own_containers()
    {
        using var run = StartDrillRun();
        var restored = await WaitForRestoreAsync(run);
        var runId = restored.Labels[ResourceLabels.Run];
        var testHost = int.Parse(restored.Labels[ResourceLabels.OwnerPid], System.Globalization.CultureInfo.InvariantCulture);
        using var host = Process.GetProcessById(testHost);
        using (var kill = Process.Start("kill", ["-TERM", testHost.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();

        // The test host (which owns the containers) runs its exit handlers, then goes; then the runner.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await host.WaitForExitAsync(timeout.Token);
        await run.WaitForExitAsync(timeout.Token);
        Assert.That(await ResourcesOfRunAsync(runId), Is.EqualTo((0, 0)), () => $"the cancelled run removed everything it started; left: {LeftOf(runId)}");
        await AssertThisRunIsIntactAsync();
    }
}
