using System.Diagnostics;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;

namespace RestoreDrills.Tests.Containers;

/// <summary>
/// The sweep that replaces Ryuk: a killed run's containers go, a live run's stay, another host's stay.
/// Real containers on the real engine, labelled as each kind of owner would label them.
/// </summary>
[TestFixture]
[Category("Containers")]
[NonParallelizable]
public sealed class ResourceSweeperTests
{
    private readonly List<IContainer> _started = [];

    [TearDown]
    public async Task RemoveAsync()
    {
        foreach (var container in _started) await container.DisposeAsync();
        _started.Clear();
    }

    private async Task<IContainer> StartLabelledAsync(int pid, string start, string host)
    {
        var run = "sweep-test-" + Guid.NewGuid().ToString("N")[..8];
        var container = new ContainerBuilder(ContainersRun.Platform.Settings.PostgresImage)
            .WithLogger(ContainerEnvironment.Logger)
            .WithLabel(new Dictionary<string, string>
            {
                [ResourceLabels.Project] = "true", [ResourceLabels.Run] = run, [ResourceLabels.Host] = host,
                [ResourceLabels.OwnerPid] = pid.ToString(System.Globalization.CultureInfo.InvariantCulture), [ResourceLabels.OwnerStart] = start,
            })
            .WithCommand("bash", "-c", "trap 'exit 0' TERM; sleep infinity & wait")
            .Build();
        await container.StartAsync();
        _started.Add(container);
        return container;
    }

    private static async Task<bool> ExistsAsync(IContainer container)
    {
        using var client = DockerEngine.CreateClient();
        var all = await client.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters { All = true });
        return all.Any(c => c.ID == container.Id);
    }

    private static (int Pid, string Start) AProcessThatHasEnded()
    {
        using var process = Process.Start(new ProcessStartInfo("sleep", "30"))!;
        var start = ResourceLabels.StartTicks(process);
        process.Kill();
        process.WaitForExit();
        return (process.Id, start);
    }

    [Test]
    public async Task A_killed_runs_container_is_removed_and_a_live_runs_is_kept()
    {
        var (deadPid, deadStart) = AProcessThatHasEnded();
        var killed = await StartLabelledAsync(deadPid, deadStart, ResourceLabels.ThisHost);
        var live = await StartLabelledAsync(Environment.ProcessId, ResourceLabels.StartTicks(Process.GetCurrentProcess()), ResourceLabels.ThisHost);

        await ResourceSweeper.SweepLeftoversAsync();

        Assert.That(await ExistsAsync(killed), Is.False, "the killed run's container must be swept");
        Assert.That(await ExistsAsync(live), Is.True, "a live run's container must stay");
    }

    [Test]
    public async Task A_reused_pid_does_not_keep_a_killed_runs_container_alive()
    {
        // Our own pid, but another start time: the pid was reused by a new process after the owner died.
        var reused = await StartLabelledAsync(Environment.ProcessId, "1", ResourceLabels.ThisHost);
        await ResourceSweeper.SweepLeftoversAsync();
        Assert.That(await ExistsAsync(reused), Is.False);
    }

    [Test]
    public async Task Another_hosts_recent_container_is_left_alone()
    {
        var (deadPid, deadStart) = AProcessThatHasEnded();
        var foreign = await StartLabelledAsync(deadPid, deadStart, "another-host/another-boot");
        await ResourceSweeper.SweepLeftoversAsync();
        Assert.That(await ExistsAsync(foreign), Is.True, "a pid means nothing on another host: only age may sweep it");
    }
}
