using System.Text.Json.Nodes;
using RestoreDrills.Failures;
using RestoreDrills.Platforms.Cnpg.Manifests;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// The CRDs live mode validates against: the cluster's own, which will admit the manifests whatever operator
/// version runs there. An identity without the ClusterRole that reads them falls back to the directory's copies,
/// saying so in one line, so a missing grant weakens the check visibly instead of stopping the drill.
/// </summary>
public static class InstalledCrds
{
    public static async Task<CrdSchemas> LoadAsync(CnpgApi api, string directory, Action<string> progress, CancellationToken ct)
    {
        CnpgSetupException forbidden;
        try
        {
            var installed = await ReadAsync(api, ct);
            progress($"validating manifests against {installed.Origin}");
            return installed;
        }
        catch (CnpgSetupException e) when (CnpgApi.IsForbidden(e))
        {
            forbidden = e;
        }
        CrdSchemas copies;
        try
        {
            copies = CrdSchemas.Load(directory);
        }
        catch (CnpgSetupException notFound)
        {
            throw new CnpgSetupException($"{forbidden.Message}; and {notFound.Message}", forbidden);
        }
        progress($"the cluster's CRDs cannot be read ({forbidden.Message}): validating manifests against {copies.Origin} instead");
        return copies;
    }

    /// <summary>
    /// The CRDs installed in the cluster (CloudNative-PG's, and the Barman Cloud Plugin's where it is installed), as
    /// the API server will apply them. Reading them is cluster-scoped: fixtures/cnpg/rbac/clusterrole-crds.yaml.
    /// </summary>
    public static async Task<CrdSchemas> ReadAsync(CnpgApi api, CancellationToken ct)
    {
        var definitions = new List<JsonObject>();
        var missing = new List<string>();
        foreach (var name in CnpgResources.CustomResourceDefinitions)
        {
            if (await api.CustomResourceDefinitionAsync(name, ct) is { } definition) definitions.Add(definition);
            else missing.Add(name);
        }
        if (missing.Count > 0)
            throw new CnpgSetupException($"the cluster has no CustomResourceDefinition {string.Join(", ", missing)}: is CloudNative-PG installed?");
        if (await api.CustomResourceDefinitionAsync(CnpgResources.ObjectStoreDefinition, ct) is { } objectStore) definitions.Add(objectStore);
        return CrdSchemas.FromDefinitions($"the cluster's CRDs ({string.Join(", ", definitions.Select(d => d["metadata"]!["name"]!.GetValue<string>()))})", definitions);
    }
}
