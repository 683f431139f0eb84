using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using RestoreDrills.Failures;
using RestoreDrills.Platforms.Cnpg.Manifests;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// The few Kubernetes API calls the drill makes, through KubernetesClient: CloudNative-PG custom objects in one
/// namespace, pods, their logs and port-forwards, Jobs, secrets, PVCs, and the CRDs that admit the custom objects. Custom objects travel as JSON trees (their schema
/// is the CRD's, checked before sending). A missing object is null, never an exception. A call the drill's identity
/// may not make fails with one line naming the verb and the resource (the grants are in fixtures/cnpg/rbac).
/// </summary>
public sealed class CnpgApi(IKubernetes client, string @namespace) : IDisposable
{
    /// <summary>The WebSocket subprotocol of the API server's channel framing (port-forward, exec).</summary>
    public const string ChannelProtocol = "v4.channel.k8s.io";

    public string Namespace { get; } = @namespace;

    public static CnpgApi Connect(KubernetesClientConfiguration configuration, string @namespace) =>
        new(new Kubernetes(configuration), @namespace);

    public Task<JsonObject> CreateAsync(string plural, JsonObject manifest, CancellationToken ct) =>
        Call("create", plural, CnpgResources.Group, async () => ToNode(await client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(
            manifest, CnpgResources.Group, CnpgResources.Version, Namespace, plural, cancellationToken: ct)));

    public Task<JsonObject?> GetAsync(string plural, string name, CancellationToken ct) =>
        Call("get", plural, CnpgResources.Group, () => OrNull(async () => ToNode(await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
            CnpgResources.Group, CnpgResources.Version, Namespace, plural, name, ct))));

    public Task<IReadOnlyList<JsonObject>> ListAsync(string plural, string? labelSelector, CancellationToken ct) =>
        Call("list", plural, CnpgResources.Group, async () =>
        {
            var list = ToNode(await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(
                CnpgResources.Group, CnpgResources.Version, Namespace, plural, labelSelector: labelSelector, cancellationToken: ct));
            return (IReadOnlyList<JsonObject>)(list["items"] is JsonArray items ? items.OfType<JsonObject>().ToList() : []);
        });

    /// <summary>A JSON merge patch of an object's status, through the status subresource (as `kubectl cnpg promote` writes one).</summary>
    public Task<JsonObject> PatchStatusAsync(string plural, string name, JsonObject patch, CancellationToken ct) =>
        Call("patch", plural + "/status", CnpgResources.Group, async () => ToNode(await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<JsonElement>(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), CnpgResources.Group, CnpgResources.Version, Namespace, plural, name, cancellationToken: ct)));

    /// <summary>Deletes; true when it existed.</summary>
    public Task<bool> DeleteAsync(string plural, string name, CancellationToken ct) =>
        Call("delete", plural, CnpgResources.Group, async () =>
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
        });

    public Task<int> CountPersistentVolumeClaimsAsync(string labelSelector, CancellationToken ct) =>
        Call("list", "persistentvolumeclaims", "", async () =>
            (await client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(Namespace, labelSelector: labelSelector, cancellationToken: ct)).Items.Count);

    public Task<IReadOnlyList<V1Pod>> ListPodsAsync(string labelSelector, CancellationToken ct) =>
        Call("list", "pods", "", async () =>
            (IReadOnlyList<V1Pod>)(await client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: labelSelector, cancellationToken: ct)).Items.ToList());

    /// <summary>Jobs (batch/v1), e.g. a restored cluster's full-recovery Job, whose conditions say whether it has failed for good.</summary>
    public Task<IReadOnlyList<V1Job>> ListJobsAsync(string labelSelector, CancellationToken ct) =>
        Call("list", "jobs", "batch", async () =>
            (IReadOnlyList<V1Job>)(await client.BatchV1.ListNamespacedJobAsync(Namespace, labelSelector: labelSelector, cancellationToken: ct)).Items.ToList());

    /// <summary>The last lines of a pod's log; of one container when named (e.g. the Barman Cloud Plugin's sidecar).</summary>
    public Task<string> PodLogAsync(string pod, int tailLines, CancellationToken ct, string? container = null) =>
        Call("get", "pods/log", "", async () =>
        {
            await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod, Namespace, container: container, tailLines: tailLines, cancellationToken: ct);
            using var reader = new StreamReader(stream);
            return await reader.ReadToEndAsync(ct);
        });

    public Task<V1Secret?> SecretAsync(string name, CancellationToken ct) =>
        Call("get", "secrets", "", () => OrNull(() => client.CoreV1.ReadNamespacedSecretAsync(name, Namespace, cancellationToken: ct)));

    /// <summary>
    /// A CustomResourceDefinition as installed, null when absent. Cluster-scoped: the identity needs the ClusterRole
    /// in fixtures/cnpg/rbac/clusterrole-crds.yaml, not the namespace's Role.
    /// </summary>
    public Task<JsonObject?> CustomResourceDefinitionAsync(string name, CancellationToken ct) =>
        Call("get", "customresourcedefinitions", ApiExtensionsGroup, () => OrNull(async () =>
            JsonNode.Parse(KubernetesJson.Serialize(await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: ct))) as JsonObject
            ?? throw new InvalidDataException($"the API answered customresourcedefinition {name} with something other than an object")), clusterScoped: true);

    private const string ApiExtensionsGroup = "apiextensions.k8s.io";

    /// <summary>One WebSocket tunnel to a pod's port (pods/portforward), in the API server's channel framing.</summary>
    public async Task<WebSocket> PortForwardAsync(string pod, int port, CancellationToken ct)
    {
        try
        {
            return await client.WebSocketNamespacedPodPortForwardAsync(pod, Namespace, [port], ChannelProtocol, cancellationToken: ct);
        }
        catch (Exception e) when (e is WebSocketException or HttpOperationException)
        {
            throw await PortForwardRefusedAsync(pod, port, e, ct);
        }
    }

    /// <summary>
    /// .NET reports a refused WebSocket upgrade only as "status code N when 101 was expected": the API is asked
    /// what is wrong, as kubectl auth can-i does (a SelfSubjectAccessReview, which every authenticated identity may
    /// create), then whether the pod exists.
    /// </summary>
    private async Task<Exception> PortForwardRefusedAsync(string pod, int port, Exception refused, CancellationToken ct)
    {
        var review = await client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
        {
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes { NamespaceProperty = Namespace, Verb = "create", Resource = "pods", Subresource = "portforward", Name = pod },
            },
        }, cancellationToken: ct);
        if (review.Status?.Allowed != true) return Forbidden("create", "pods/portforward", "", refused);
        var pods = await Call("list", "pods", "", async () =>
            (await client.CoreV1.ListNamespacedPodAsync(Namespace, fieldSelector: $"metadata.name={pod}", cancellationToken: ct)).Items);
        return pods.Count == 0
            ? new CnpgSetupException($"port-forward to pod {pod}:{port} in namespace {Namespace}: the pod does not exist", refused)
            : new CnpgSetupException($"port-forward to pod {pod}:{port} in namespace {Namespace} refused: {refused.Message}", refused);
    }

    /// <summary>A 403 becomes one line: which verb on which resource the drill's identity lacks.</summary>
    private async Task<T> Call<T>(string verb, string resource, string group, Func<Task<T>> call, bool clusterScoped = false)
    {
        try
        {
            return await call();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden)
        {
            throw Forbidden(verb, resource, group, e, clusterScoped);
        }
    }

    private CnpgSetupException Forbidden(string verb, string resource, string group, Exception e, bool clusterScoped = false) =>
        new($"forbidden: the drill's Kubernetes identity may not '{verb}' resource '{resource}'{(group.Length > 0 ? $" (API group {group})" : "")} " +
            (clusterScoped
                ? "at cluster scope: bind it the ClusterRole in fixtures/cnpg/rbac/clusterrole-crds.yaml"
                : $"in namespace {Namespace}: bind it the Role in fixtures/cnpg/rbac/role.yaml"), e);

    /// <summary>Whether the API refused the call as forbidden (the one line of <see cref="Forbidden"/>).</summary>
    public static bool IsForbidden(CnpgSetupException e) => e.InnerException is HttpOperationException { Response.StatusCode: HttpStatusCode.Forbidden };

    private static async Task<T?> OrNull<T>(Func<Task<T>> call) where T : class
    {
        try
        {
            return await call();
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
