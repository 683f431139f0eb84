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
        SweepAsync(labels => labels.TryGetValue(ResourceLabels.Run, out var run) && run == runId, ct);

    /// <summary>Removes what earlier runs left behind: resources whose owning process no longer exists.</summary>
    public static Task SweepLeftoversAsync(CancellationToken ct = default) =>
        SweepAsync(labels => !labels.TryGetValue(ResourceLabels.OwnerPid, out var pid) || !ProcessIsAlive(pid), ct);

    private static async Task SweepAsync(Func<IDictionary<string, string>, bool> shouldRemove, CancellationToken ct)
    {
        using var client = DockerEngine.CreateClient();
        var byProject = new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = new Dictionary<string, bool> { [ResourceLabels.Project + "=true"] = true },
        };

        var containers = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = byProject }, ct);
        foreach (var container in containers.Where(c => shouldRemove(c.Labels)))
            await IgnoreNotFound(() => client.Containers.RemoveContainerAsync(container.ID,
                new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, ct));

        var networks = await client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = byProject }, ct);
        foreach (var network in networks.Where(n => shouldRemove(n.Labels)))
            await IgnoreNotFound(() => client.Networks.DeleteNetworkAsync(network.ID, ct));

        var volumes = await client.Volumes.ListAsync(new VolumesListParameters { Filters = byProject }, ct);
        foreach (var volume in (volumes.Volumes ?? []).Where(v => shouldRemove(v.Labels)))
            await IgnoreNotFound(() => client.Volumes.RemoveAsync(volume.Name, force: true, ct));
    }

    private static bool ProcessIsAlive(string pid) =>
        int.TryParse(pid, out var id) && (id == Environment.ProcessId || Directory.Exists($"/proc/{id}") || OtherOsProcessExists(id));

    private static bool OtherOsProcessExists(int id)
    {
        if (OperatingSystem.IsLinux()) return false; // /proc already answered
        try { using var p = System.Diagnostics.Process.GetProcessById(id); return !p.HasExited; }
        catch (ArgumentException) { return false; }
    }

    private static async Task IgnoreNotFound(Func<Task> remove)
    {
        try { await remove(); }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound) { }
    }
}
