using System.Text.Json.Nodes;

namespace RestoreDrills.Platforms.Cnpg.Manifests;

/// <summary>
/// The runbook's source as manifests (fixtures/cnpg/source): a Cluster archiving to Azure Blob Storage with
/// barman-cloud (gzip) and its daily ScheduledBackup at 01:00 UTC; or the same through the Barman Cloud Plugin
/// with its ObjectStore. What a test cluster is seeded with, and what the preflight expects to find.
/// </summary>
public static class SourceManifests
{
    public static IReadOnlyList<JsonObject> Render(BackupMethod method, AzureCredentialsKind credentials, IReadOnlyDictionary<string, string> variables)
    {
        if (method == BackupMethod.Plugin)
        {
            var store = ManifestTemplate.Load("source/object-store.yaml").Render(variables);
            store["spec"]!["configuration"]!["azureCredentials"] = CnpgManifests.AzureCredentials(credentials, variables["CREDENTIALS_SECRET"]);
            return [store, Cluster(method, credentials, variables), ManifestTemplate.Load("source/scheduled-backup-plugin.yaml").Render(variables)];
        }
        return [Cluster(method, credentials, variables), ManifestTemplate.Load("source/scheduled-backup.yaml").Render(variables)];
    }

    /// <summary>
    /// The runbook's source as a drill's own throwaway (source/throwaway.yaml merged over it): only the Cluster, with no
    /// ScheduledBackup (the drill backs it up on demand); on the plugin it archives through the ObjectStore already there.
    /// </summary>
    public static JsonObject ThrowawayCluster(BackupMethod method, AzureCredentialsKind credentials, IReadOnlyDictionary<string, string> variables)
    {
        var cluster = Cluster(method, credentials, variables);
        MergeInto(cluster, ManifestTemplate.Load("source/throwaway.yaml").Render(variables));
        return cluster;
    }

    /// <summary>The source Cluster: archiving through the plugin's ObjectStore, or in-tree with the Azure credentials filled in.</summary>
    private static JsonObject Cluster(BackupMethod method, AzureCredentialsKind credentials, IReadOnlyDictionary<string, string> variables)
    {
        if (method == BackupMethod.Plugin) return ManifestTemplate.Load("source/cluster-plugin.yaml").Render(variables);
        var cluster = ManifestTemplate.Load("source/cluster.yaml").Render(variables);
        cluster["spec"]!["backup"]!["barmanObjectStore"]!["azureCredentials"] = CnpgManifests.AzureCredentials(credentials, variables["CREDENTIALS_SECRET"]);
        return cluster;
    }

    /// <summary>An overlay's objects merge field by field; any other value replaces the one below it.</summary>
    private static void MergeInto(JsonObject target, JsonObject overlay)
    {
        foreach (var (key, value) in overlay.ToList())
        {
            if (value is JsonObject inner && target[key] is JsonObject below) MergeInto(below, inner);
            else target[key] = value?.DeepClone();
        }
    }
}
