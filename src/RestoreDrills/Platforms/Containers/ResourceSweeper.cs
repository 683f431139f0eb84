using Docker.DotNet;
using Docker.DotNet.Models;

namespace RestoreDrills.Platforms.Containers;

/// <summary>
/// Removes the containers, networks and volumes of drill runs: this run's at its end (also on failure and on
/// cancel), and any earlier run's whose owning process is gone (a killed run). Ryuk would do this elsewhere;
/// here it cannot run, so this is the only cleanup there is, and it must be airtight.
/// </summary>
public static class ResourceSweeper
{
    /// <summary>Removes everything labelled with <paramref name="runId"/>.</summary>
    public static Task SweepRunAsync(string runId, CancellationToken ct = default) =>
        SweepAsync((labels, _) => labels.TryGetValue(ResourceLabels.Run, out var run) && run == runId, ct);

    /// <summary>
    /// Removes what earlier runs left behind: resources started on this host by a process that no longer runs
    /// (or whose pid now belongs to another process). Another host's resources (a shared engine) are left alone
    /// unless they are older than <see cref="ForeignLeftoverAge"/>.
    /// </summary>
    public static Task SweepLeftoversAsync(CancellationToken ct = default) => SweepAsync(IsLeftover, ct);

    public static readonly TimeSpan ForeignLeftoverAge = Configuration.SettingsTable.ForeignLeftoverAge.DefaultDuration;

    private static bool IsLeftover(IDictionary<string, string> labels, DateTime created)
    {
        if (labels.TryGetValue(ResourceLabels.Host, out var host) && host != ResourceLabels.ThisHost)
            return DateTime.UtcNow - created > ForeignLeftoverAge;
        if (!labels.TryGetValue(ResourceLabels.OwnerPid, out var pid) || !int.TryParse(pid, out var id)) return true;
        labels.TryGetValue(ResourceLabels.OwnerStart, out var start);
        return !OwnerIsAlive(id, start);
    }

    private static bool OwnerIsAlive(int pid, string? startTicks)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited && (string.IsNullOrEmpty(startTicks) || ResourceLabels.StartTicks(process) == startTicks);
        }
        catch (ArgumentException) { return false; }           // no such process
        catch (InvalidOperationException) { return false; }   // exited while we looked
    }

    /// <summary>Passes at most, and the pause between them (see <see cref="SweepAsync"/>).</summary>
    public const int MaxPasses = 6;
    public static readonly TimeSpan SettleTime = Configuration.SettingsTable.SweepSettle.DefaultDuration;

    /// <summary>
    /// Sweeps again until a pass finds nothing (bounded): a run being cancelled still has Docker calls in flight, and a
    /// container created just after a listing, or one that answered a removal with 409 while it was being started, would
    /// otherwise stay (seen here: InterruptedRunTests found one container of a cancelled run left, in the last CI run and in a full run after it).
    /// </summary>
    private static async Task SweepAsync(Func<IDictionary<string, string>, DateTime, bool> shouldRemove, CancellationToken ct)
    {
        using var client = DockerEngine.CreateClient();
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var found = await SweepPassAsync(client, shouldRemove, ct);
            if (found == 0 && pass > 0) return;
            await Task.Delay(SettleTime, ct);
        }
    }

    /// <summary>One pass: containers first (a network in use cannot go), then networks and volumes; returns how many it found.</summary>
    private static async Task<int> SweepPassAsync(DockerClient client, Func<IDictionary<string, string>, DateTime, bool> shouldRemove, CancellationToken ct)
    {
        var byProject = new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = new Dictionary<string, bool> { [ResourceLabels.Project + "=true"] = true },
        };
        var found = 0;

        var containers = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = byProject }, ct);
        foreach (var container in containers.Where(c => shouldRemove(c.Labels, c.Created)))
        {
            found++;
            await IgnoreNotFound(() => client.Containers.RemoveContainerAsync(container.ID,
                new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, ct));
        }

        var networks = await client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = byProject }, ct);
        foreach (var network in networks.Where(n => shouldRemove(n.Labels, n.Created)))
        {
            found++;
            await IgnoreNotFound(() => client.Networks.DeleteNetworkAsync(network.ID, ct));
        }

        var volumes = await client.Volumes.ListAsync(new VolumesListParameters { Filters = byProject }, ct);
        foreach (var volume in (volumes.Volumes ?? []).Where(v => shouldRemove(v.Labels, DateTime.TryParse(v.CreatedAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal, out var c) ? c : DateTime.MinValue)))
        {
            found++;
            await IgnoreNotFound(() => client.Volumes.RemoveAsync(volume.Name, force: true, ct));
        }
        return found;
    }

    private static async Task IgnoreNotFound(Func<Task> remove)
    {
        try { await remove(); }
        // Gone already, being removed by an overlapping sweep, or busy (being started): the next pass looks again.
        catch (DockerApiException e) when (e.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Conflict) { }
    }
}
