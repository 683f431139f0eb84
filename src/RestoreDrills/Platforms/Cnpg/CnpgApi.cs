using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// The few Kubernetes API calls the drill makes, through KubernetesClient: CloudNative-PG custom objects in one
/// namespace, pods and their logs, secrets, PVCs. Custom objects travel as JSON trees (their schema is the CRD's,
/// checked before sending). A missing object is null, never an exception.
/// </summary>
public sealed class CnpgApi(IKubernetes client, string @namespace) : IDisposable
{
    public string Namespace { get; } = @namespace;

    public static CnpgApi Connect(KubernetesClientConfiguration configuration, string @namespace) =>
        new(new Kubernetes(configuration), @namespace);

    public async Task<JsonObject> CreateAsync(string plural, JsonObject manifest, CancellationToken ct) =>
        ToNode(await client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(
            manifest, CnpgResources.Group, CnpgResources.Version, Namespace, plural, cancellationToken: ct));

    public async Task<JsonObject?> GetAsync(string plural, string name, CancellationToken ct)
    {
        try
        {
            return ToNode(await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
                CnpgResources.Group, CnpgResources.Version, Namespace, plural, name, ct));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<JsonObject>> ListAsync(string plural, string? labelSelector, CancellationToken ct)
    {
        var list = ToNode(await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(
            CnpgResources.Group, CnpgResources.Version, Namespace, plural, labelSelector: labelSelector, cancellationToken: ct));
        return list["items"] is JsonArray items ? items.OfType<JsonObject>().ToList() : [];
    }

    /// <summary>Deletes; true when it existed.</summary>
    public async Task<bool> DeleteAsync(string plural, string name, CancellationToken ct)
    {
        try
        {
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync<JsonElement>(
                CnpgResources.Group, CnpgResources.Version, Namespace, plural, name, cancellationToken: ct);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task DeletePersistentVolumeClaimsAsync(string labelSelector, CancellationToken ct) =>
        await client.CoreV1.DeleteCollectionNamespacedPersistentVolumeClaimAsync(Namespace, labelSelector: labelSelector, cancellationToken: ct);

    public async Task<int> CountPersistentVolumeClaimsAsync(string labelSelector, CancellationToken ct) =>
        (await client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(Namespace, labelSelector: labelSelector, cancellationToken: ct)).Items.Count;

    public async Task<IReadOnlyList<V1Pod>> ListPodsAsync(string labelSelector, CancellationToken ct) =>
        (await client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: labelSelector, cancellationToken: ct)).Items.ToList();

    /// <summary>The last lines of a pod's log (all containers' first, as kubectl logs does by default).</summary>
    public async Task<string> PodLogAsync(string pod, int tailLines, CancellationToken ct)
    {
        await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod, Namespace, tailLines: tailLines, cancellationToken: ct);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(ct);
    }

    public async Task<V1Secret?> SecretAsync(string name, CancellationToken ct)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedSecretAsync(name, Namespace, cancellationToken: ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static JsonObject ToNode(JsonElement element) =>
        JsonNode.Parse(element.GetRawText()) as JsonObject ?? throw new InvalidDataException("the API answered with something other than an object");

    public void Dispose() => client.Dispose();
}
