using System.Globalization;
using RestoreDrills.Failures;
using RestoreDrills.Platforms.Cnpg.Manifests;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// Removing restored clusters: one by name (the drill's own, always), and a sweep by the drill's label of those
/// a killed run left behind. Never touches a cluster without the label.
/// </summary>
public static class CnpgCleanup
{
    public static string ManagedSelector => $"{CnpgManifests.ManagedByLabel}={CnpgManifests.ManagedByValue}";

    /// <summary>
    /// Deletes the cluster and waits until it and its PVCs (label cnpg.io/cluster) are gone, within its own timeout
    /// (a cancelled drill still cleans up). The PVCs go with the Cluster: the operator gives each an ownerReference
    /// to it, and Kubernetes' garbage collector deletes them, so the drill needs no right to delete PVCs.
    /// Returns what went wrong, or null.
    /// </summary>
    public static async Task<string?> DeleteClusterAsync(CnpgApi api, string name, TimeSpan timeout, TimeSpan poll)
    {
        using var cts = new CancellationTokenSource(timeout);
        var selector = $"{CnpgResources.ClusterLabel}={name}";
        try
        {
            await api.DeleteAsync(CnpgResources.Clusters, name, cts.Token);
            // Bounded by its own timeout, not the drill's token: a cancelled drill still cleans up.
            await new Poll($"restored cluster {name} and its PVCs gone", timeout, Configuration.SettingsTable.TimeoutCnpgDelete.Name, poll)
                .UntilAsync(async (_, token) =>
                    await api.GetAsync(CnpgResources.Clusters, name, token) is null && await api.CountPersistentVolumeClaimsAsync(selector, token) == 0
                        ? Poll.Answer<bool>.Of(true) : Poll.Answer<bool>.NotYet("still there"),
                    seen => new OperationCanceledException(seen), cts.Token);
            return null;
        }
        catch (OperationCanceledException)
        {
            return $"restored cluster {name} or its PVCs still there after {timeout.TotalSeconds:0.#} s (RESTOREDRILLS_TIMEOUT_CNPG_DELETE_SECONDS): the next run's sweep removes them";
        }
        catch (Exception e)
        {
            return $"restored cluster {name} could not be deleted: {RestoreDrills.Secrets.SecretMasker.Apply(e.Message)}";
        }
    }

    /// <summary>
    /// Removes restored clusters of other runs older than <paramref name="leftoverAge"/> (a live run of another
    /// runner is younger); returns their names.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SweepLeftoversAsync(CnpgApi api, string currentRunId, TimeSpan leftoverAge,
        TimeSpan timeout, TimeSpan poll, DateTimeOffset now, CancellationToken ct)
    {
        var swept = new List<string>();
        foreach (var cluster in await api.ListAsync(CnpgResources.Clusters, ManagedSelector, ct))
        {
            var metadata = cluster["metadata"]!;
            var name = metadata["name"]!.GetValue<string>();
            if (metadata["labels"]?[CnpgManifests.RunLabel]?.GetValue<string>() == currentRunId) continue;
            var created = metadata["creationTimestamp"]?.GetValue<string>() is { } c
                ? DateTimeOffset.Parse(c, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : now;
            if (now - created < leftoverAge) continue;
            var problem = await DeleteClusterAsync(api, name, timeout, poll);
            if (problem is not null) throw new CnpgSetupException(problem);
            swept.Add(name);
        }
        return swept;
    }
}
