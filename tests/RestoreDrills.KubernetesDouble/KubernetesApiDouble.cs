using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using RestoreDrills.Platforms.Cnpg.Manifests;

namespace RestoreDrills.KubernetesDouble;

/// <summary>
/// A Kubernetes API server in miniature: a real HTTP server on 127.0.0.1 (a free port) that answers the calls the
/// CNPG platform makes through KubernetesClient, in the API's JSON, for one namespace: CloudNative-PG custom
/// objects (create, get, list by label, delete), pods, their logs (by container) and their port-forward (WebSocket,
/// to a real PostgreSQL), the full-recovery Jobs (list by label), secrets, PVCs (list; removed by the garbage collector once their owner Cluster is gone).
/// Created objects are validated against the official CRDs, as the API server does (422 when invalid).
/// A scripted "operator" moves created Backups and Clusters through their statuses, one step per read, so
/// tests do not depend on timing, and does to a restored server what CNPG does (bootstrap.recovery database and
/// owner, an app secret whose host is the -rw service, which only resolves inside a cluster).
/// Anything else is answered 404 and recorded in <see cref="Unexpected"/>.
/// </summary>
public sealed class KubernetesApiDouble : IDisposable
{
    private readonly HttpListener _listener;
    private readonly CrdSchemas _schemas;
    private readonly Task _serving;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Plural, string Name), JsonObject> _objects = [];
    private readonly Dictionary<(string Plural, string Name), Queue<JsonObject>> _pendingStatuses = [];
    private readonly List<JsonObject> _pods = [];
    /// <summary>Each pod's log by container.</summary>
    private readonly Dictionary<string, Dictionary<string, string>> _podLogs = [];
    /// <summary>Each restored Cluster's full-recovery Job (batch/v1), by cluster name.</summary>
    private readonly Dictionary<string, RecoveryJob> _jobs = [];
    private readonly Dictionary<string, JsonObject> _secrets = [];
    private readonly List<JsonObject> _pvcs = [];
    private readonly List<string> _requests = [];
    private readonly List<string> _unexpected = [];
    private readonly HashSet<(string Group, string Resource, string Verb)> _used = [];
    private readonly List<Task> _performing = [];
    private readonly Dictionary<string, IAsyncDisposable> _performedServers = [];
    /// <summary>The real PostgreSQL behind each primary pod (by pod name), where its port-forward goes.</summary>
    private readonly Dictionary<string, PostgresEndpoint> _podServers = [];
    private readonly CancellationTokenSource _stopping = new();
    private bool _collectGarbage;
    private int _resourceVersion = 1000;

    private KubernetesApiDouble(HttpListener listener, string url, string @namespace, CrdSchemas schemas)
    {
        (_listener, Url, Namespace, _schemas) = (listener, url, @namespace, schemas);
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }
    public string Namespace { get; }

    /// <summary>KubernetesClient's own configuration type, pointed at the double (plain HTTP, no credentials).</summary>
    public KubernetesClientConfiguration Configuration => new() { Host = Url };

    /// <summary>Statuses a created Backup reports on successive reads (the last one stays).</summary>
    public IReadOnlyList<JsonObject> BackupStatuses { get; set; } = [DoubleStatuses.Backup("running")];

    public RestoreScript Restore { get; set; } = RestoreScript.BecomesReady();

    /// <summary>
    /// When set, a created Backup is performed for real (it reports running meanwhile): the task's result is its
    /// completed status; an exception makes it failed with the exception's message as status.error.
    /// </summary>
    public Func<JsonObject, Task<JsonObject>>? BackupPerformer { get; set; }

    /// <summary>
    /// When set, a created Cluster is restored for real ("Setting up primary" meanwhile): on success the restored
    /// server is configured as CNPG configures it, the Cluster becomes healthy and its primary pod forwards to the
    /// server; on failure its recovery pod fails with the error as its log. Deleting the Cluster disposes the server.
    /// </summary>
    public Func<JsonObject, Task<PerformedRestore>>? RestorePerformer { get; set; }

    /// <summary>
    /// When set, a created Cluster bootstrapped by initdb (a source) is started for real ("Setting up primary"
    /// meanwhile): its database and owner are made as initdb makes them, it becomes healthy and archiving, its primary
    /// pod forwards to the server, and pg_stat_archiver's progress goes into its status as CNPG's instance manager reports
    /// it. A start that fails leaves it unrecoverable. Deleting the Cluster disposes the server.
    /// </summary>
    public Func<JsonObject, Task<PerformedRestore>>? SourcePerformer { get; set; }

    /// <summary>
    /// When set, a source Cluster's status.targetPrimary written through the status subresource (`kubectl cnpg promote`)
    /// is a switchover performed for real on the Cluster's source (by name): meanwhile the phase stays "Switchover in
    /// progress"; then the target pod forwards to the promoted server, status.currentPrimary names it, status.timelineID
    /// is the new timeline and the phase is healthy, as CNPG's operator writes them.
    /// </summary>
    public Func<string, Task<(PostgresEndpoint Server, int Timeline)>>? SwitchoverPerformer { get; set; }

    /// <summary>
    /// What the drill's identity may do: the Role the project ships unless a test takes a grant away. A call it
    /// does not grant is answered 403, as the API server's RBAC authorizer answers it.
    /// </summary>
    public RoleRules Grants { get; set; } = RoleRules.Shipped();

    /// <summary>
    /// What the drill's identity may do at cluster scope: the ClusterRole the project ships for reading the CRDs
    /// (fixtures/cnpg/rbac/clusterrole-crds.yaml), which names them. Not recorded in <see cref="UsedGrants"/>.
    /// </summary>
    public RoleRules ClusterGrants { get; set; } = RoleRules.ShippedClusterRole();

    /// <summary>Every (API group, resource, verb) a request was authorized by.</summary>
    public IReadOnlySet<(string Group, string Resource, string Verb)> UsedGrants { get { lock (_lock) return _used.ToHashSet(); } }

    public IReadOnlyList<string> Requests { get { lock (_lock) return [.. _requests]; } }
    public IReadOnlyList<string> Unexpected { get { lock (_lock) return [.. _unexpected]; } }

    public static KubernetesApiDouble Start(string @namespace, CrdSchemas schemas)
    {
        for (var attempt = 1; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var url = $"http://127.0.0.1:{port}/";
            var listener = new HttpListener();
            listener.Prefixes.Add(url);
            try
            {
                listener.Start();
                return new KubernetesApiDouble(listener, url.TrimEnd('/'), @namespace, schemas);
            }
            catch (HttpListenerException) when (attempt < 5) // the port was taken between probe and start
            {
                listener.Close();
            }
        }
    }

    /// <summary>Puts an object as if it had been there before the drill (the source, its backups).</summary>
    public void Seed(string plural, JsonObject obj)
    {
        lock (_lock) _objects[(plural, Name(obj))] = Stamp(obj, DateTimeOffset.UtcNow);
    }

    public void Seed(string plural, JsonObject obj, DateTimeOffset created)
    {
        lock (_lock) _objects[(plural, Name(obj))] = Stamp(obj, created);
    }

    /// <summary>Changes a stored object in place, as the operator updates a status (e.g. the source's archiving progress).</summary>
    public void Patch(string plural, string name, Action<JsonObject> change)
    {
        lock (_lock)
            if (_objects.TryGetValue((plural, name), out var obj)) change(obj);
    }

    /// <summary>The archiver's progress (pg_stat_archiver) into a Cluster's status; false once the Cluster is gone.</summary>
    public bool ReportArchived(string cluster, string? wal, DateTimeOffset? at)
    {
        lock (_lock)
        {
            if (!_objects.TryGetValue(("clusters", cluster), out var obj)) return false;
            var status = obj["status"] as JsonObject ?? (JsonObject)(obj["status"] = new JsonObject());
            status["lastArchivedWAL"] = wal;
            status["lastArchivedWALTime"] = at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
            return true;
        }
    }

    public JsonObject? Find(string plural, string name) { lock (_lock) return _objects.GetValueOrDefault((plural, name))?.DeepClone().AsObject(); }

    public IReadOnlyList<JsonObject> All(string plural) { lock (_lock) return _objects.Where(o => o.Key.Plural == plural).Select(o => o.Value.DeepClone().AsObject()).ToList(); }

    public int PersistentVolumeClaims(string labelSelector) { lock (_lock) return _pvcs.Count(p => Matches(p, labelSelector)); }

    /// <summary>A running pod whose port 5432 is the given server (what its port-forward reaches).</summary>
    public void RunPod(string name, string cluster, PostgresEndpoint server)
    {
        lock (_lock)
        {
            _pods.Add(Pod(name, cluster, "instance", "Running"));
            _podServers[name] = server;
        }
    }

    /// <summary>A PVC owned by an existing Cluster (the garbage collector removes it once the Cluster is gone).</summary>
    public void AddPersistentVolumeClaim(string name, string cluster)
    {
        lock (_lock) _pvcs.Add(Pvc(name, _objects[("clusters", cluster)]));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            if (context.Request.IsWebSocketRequest)
            {
                // A tunnel lives as long as its connection: served beside the other requests, not in turn.
                lock (_lock) _performing.Add(Task.Run(() => PortForwardAsync(context)));
                continue;
            }
            try
            {
                await HandleAsync(context);
            }
            catch (Exception e)
            {
                try
                {
                    await RespondAsync(context.Response, 500, Status(500, "InternalError", e.Message));
                }
                catch (Exception gone) when (gone is HttpListenerException or InvalidOperationException or ObjectDisposedException or IOException)
                {
                    // the client went away (a cancelled drill): the double keeps serving the others
                }
            }
        }
    }

    /// <summary>GET /api/v1/namespaces/{ns}/pods/{pod}/portforward?ports=5432, upgraded to a WebSocket.</summary>
    private async Task PortForwardAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath.Trim('/').Split('/');
        var ports = context.Request.QueryString.GetValues("ports") ?? [];
        int? refusal = null;
        string message = "";
        PostgresEndpoint? target = null;
        string pod = "";
        lock (_lock)
        {
            _requests.Add($"{context.Request.HttpMethod} /{string.Join('/', path)}?ports={string.Join(',', ports)} (websocket)");
            // A WebSocket upgrade is a GET; since Kubernetes 1.30 the API server also requires create on the subresource.
            var forbidden = Denied(("", "pods/portforward", "get")) ?? Denied(("", "pods/portforward", "create"));
            if (forbidden is not null)
                (refusal, message) = (403, forbidden);
            else if (path is not ["api", "v1", "namespaces", var ns, "pods", var name, "portforward"] || ns != Namespace)
                (refusal, message) = (404, "the double serves only pods/portforward over WebSocket");
            else if (!_pods.Any(p => p["metadata"]!["name"]!.GetValue<string>() == name))
                (refusal, message, pod) = (404, $"pods \"{name}\" not found", name);
            else if (ports.Length != 1 || !int.TryParse(ports[0], out _))
                (refusal, message, pod) = (400, "query parameter \"ports\" is required: one port", name);
            else
                (pod, target) = (name, _podServers.GetValueOrDefault(name));
        }
        try
        {
            if (refusal is { } code) await RespondAsync(context.Response, code, code == 403 ? message : Status(code, code == 404 ? "NotFound" : "BadRequest", message));
            else await PortForwardTunnel.ServeAsync(context, pod, int.Parse(ports[0], System.Globalization.CultureInfo.InvariantCulture), target, _stopping.Token);
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or IOException or OperationCanceledException or HttpListenerException or ObjectDisposedException)
        {
            // the client or the double went away mid-tunnel
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath.Trim('/').Split('/');
        var selector = request.QueryString["labelSelector"];
        var fieldSelector = request.QueryString["fieldSelector"];
        var container = request.QueryString["container"];
        string body;
        using (var reader = new StreamReader(request.InputStream, Encoding.UTF8)) body = await reader.ReadToEndAsync();
        var (code, response, contentType) = Route(request.HttpMethod, path, selector, fieldSelector, container, body);
        await RespondAsync(context.Response, code, response, contentType);
    }

    private (int, string, string) Route(string method, string[] path, string? selector, string? fieldSelector, string? container, string body)
    {
        lock (_lock)
        {
            _requests.Add($"{method} /{string.Join('/', path)}{(selector is null ? "" : $"?labelSelector={selector}")}{(fieldSelector is null ? "" : $"?fieldSelector={fieldSelector}")}" +
                          (container is null ? "" : $"?container={container}"));
            CollectGarbage();
            const string json = "application/json";
            if (Denied(Authorization(method, path)) is { } forbidden) return (403, forbidden, json);
            switch (path)
            {
                case ["apis", "authorization.k8s.io", "v1", "selfsubjectaccessreviews"] when method == "POST":
                    return (201, Review(body), json);
                case ["apis", "apiextensions.k8s.io", "v1", "customresourcedefinitions", var crd] when method == "GET":
                    return CustomResourceDefinition(crd);
                case ["apis", "batch", "v1", "namespaces", var ns, "jobs"] when ns == Namespace && method == "GET":
                    return (200, List("batch/v1", "Job", _jobs.Values.Select(j => j.Object).Where(j => Matches(j, selector))), json);
                case ["apis", var group, var version, "namespaces", var ns, var plural] when ns == Namespace:
                    return method switch
                    {
                        "GET" => (200, List($"{group}/{version}", KindOf(plural), _objects.Where(o => o.Key.Plural == plural).Select(o => o.Value).Where(o => Matches(o, selector))), json),
                        "POST" => Create(plural, body),
                        _ => Unknown(method, path),
                    };
                case ["apis", _, _, "namespaces", var ns, var plural, var name, "status"] when ns == Namespace && method == "PATCH":
                    return PatchStatus(plural, name, body);
                case ["apis", _, _, "namespaces", var ns, var plural, var name] when ns == Namespace:
                    return method switch
                    {
                        "GET" => Read(plural, name),
                        "DELETE" => Delete(plural, name),
                        _ => Unknown(method, path),
                    };
                case ["api", "v1", "namespaces", var ns, "pods"] when ns == Namespace && method == "GET":
                    return (200, List("v1", "Pod", _pods.Where(p => Matches(p, selector) && MatchesName(p, fieldSelector))), json);
                case ["api", "v1", "namespaces", var ns, "pods", var pod, "log"] when ns == Namespace && method == "GET":
                    return PodLog(pod, container);
                case ["api", "v1", "namespaces", var ns, "secrets", var secret] when ns == Namespace && method == "GET":
                    return _secrets.TryGetValue(secret, out var s) ? (200, s.ToJsonString(), json) : (404, Status(404, "NotFound", $"secrets \"{secret}\" not found"), json);
                case ["api", "v1", "namespaces", var ns, "persistentvolumeclaims"] when ns == Namespace && method == "GET":
                    return (200, List("v1", "PersistentVolumeClaim", _pvcs.Where(p => Matches(p, selector))), json);
                case ["api", "v1", "namespaces", var ns, "pods", _, "portforward"] when ns == Namespace:
                    // What the API server answers a port-forward that is not a WebSocket upgrade (KubernetesClient
                    // asks again this way when an upgrade is refused, to read the Status).
                    return (400, Status(400, "BadRequest", "Upgrade request required"), json);
                default:
                    return Unknown(method, path);
            }
        }
    }

    /// <summary>The RBAC attributes of a request (API group, resource[/subresource], verb); null for those every identity may make.</summary>
    private static (string Group, string Resource, string Verb)? Authorization(string method, string[] path) => (method, path) switch
    {
        (_, ["apis", "authorization.k8s.io", ..]) => null, // SelfSubjectAccessReviews: system:basic-user grants them to all
        ("GET", ["apis", var g, _, "namespaces", _, var r]) => (g, r, "list"),
        ("POST", ["apis", var g, _, "namespaces", _, var r]) => (g, r, "create"),
        ("GET", ["apis", var g, _, "namespaces", _, var r, _]) => (g, r, "get"),
        ("DELETE", ["apis", var g, _, "namespaces", _, var r, _]) => (g, r, "delete"),
        ("PATCH", ["apis", var g, _, "namespaces", _, var r, _, var sub]) => (g, $"{r}/{sub}", "patch"),
        ("GET", ["api", "v1", "namespaces", _, var r]) => ("", r, "list"),
        ("DELETE", ["api", "v1", "namespaces", _, var r]) => ("", r, "deletecollection"),
        ("GET", ["api", "v1", "namespaces", _, var r, _]) => ("", r, "get"),
        ("GET", ["api", "v1", "namespaces", _, var r, _, var sub]) => ("", $"{r}/{sub}", "get"),
        ("POST", ["api", "v1", "namespaces", _, var r, _, var sub]) => ("", $"{r}/{sub}", "create"),
        _ => null,
    };

    /// <summary>null when allowed (and recorded as used); else the API server's 403 Status.</summary>
    private string? Denied((string Group, string Resource, string Verb)? attributes)
    {
        if (attributes is not { } a) return null;
        if (Grants.Allows(a.Group, a.Resource, a.Verb))
        {
            _used.Add(a);
            return null;
        }
        var (resource, sub) = a.Resource.Split('/') is [var r, var s] ? (r, s) : (a.Resource, "");
        return Status(403, "Forbidden",
            $"{resource}{(sub.Length > 0 ? "/" + sub : "")} is forbidden: User \"system:serviceaccount:{Namespace}:restoredrills\" cannot {a.Verb} resource \"{resource}\"" +
            (sub.Length > 0 ? $" with subresource \"{sub}\"" : "") + $" in API group \"{a.Group}\" in the namespace \"{Namespace}\"");
    }

    /// <summary>
    /// A CRD as the API server serves it, from the files the double validates with. Cluster-scoped, so the
    /// namespaced <see cref="Authorization"/> does not cover it: <see cref="ClusterGrants"/> does, by name.
    /// </summary>
    private (int, string, string) CustomResourceDefinition(string name)
    {
        const string group = "apiextensions.k8s.io", resource = "customresourcedefinitions";
        if (!ClusterGrants.Allows(group, resource, "get", name))
            return (403, Status(403, "Forbidden", $"{resource}.{group} \"{name}\" is forbidden: User \"system:serviceaccount:{Namespace}:restoredrills\" " +
                                                  $"cannot get resource \"{resource}\" in API group \"{group}\" at the cluster scope"), "application/json");
        return _schemas.Definitions.TryGetValue(name, out var crd)
            ? (200, crd.ToJsonString(), "application/json")
            : (404, Status(404, "NotFound", $"{resource}.{group} \"{name}\" not found"), "application/json");
    }

    /// <summary>A SelfSubjectAccessReview answered from the grants (kubectl auth can-i).</summary>
    private string Review(string body)
    {
        var review = JsonNode.Parse(body)!.AsObject();
        var attributes = review["spec"]!["resourceAttributes"]!;
        string S(string field) => attributes[field]?.GetValue<string>() ?? "";
        var resource = S("subresource").Length > 0 ? $"{S("resource")}/{S("subresource")}" : S("resource");
        var allowed = Grants.Allows(S("group"), resource, S("verb"));
        review["status"] = new JsonObject { ["allowed"] = allowed, ["reason"] = allowed ? "RBAC: allowed by RoleBinding \"restoredrills\"" : "" };
        return review.ToJsonString();
    }

    private (int, string, string) Create(string plural, string body)
    {
        var obj = JsonNode.Parse(body)!.AsObject();
        var name = Name(obj);
        if (_objects.ContainsKey((plural, name))) return (409, Status(409, "AlreadyExists", $"{plural} \"{name}\" already exists"), "application/json");
        var problems = _schemas.Problems(obj);
        if (problems.Count > 0) return (422, Status(422, "Invalid", string.Join("; ", problems)), "application/json");
        Stamp(obj, DateTimeOffset.UtcNow);
        _objects[(plural, name)] = obj;
        if (plural == "backups" && BackupPerformer is { } backUp) PerformBackup(name, backUp, obj.DeepClone().AsObject());
        else if (plural == "backups") _pendingStatuses[(plural, name)] = new Queue<JsonObject>(BackupStatuses.Select(s => s.DeepClone().AsObject()));
        if (plural == "clusters" && SourcePerformer is { } start && obj["spec"]?["bootstrap"]?["recovery"] is null)
            PerformSource(name, start, obj.DeepClone().AsObject());
        else if (plural == "clusters")
        {
            Operate(obj);
            if (RestorePerformer is { } restore) PerformRestore(name, restore, obj.DeepClone().AsObject());
        }
        return (201, obj.ToJsonString(), "application/json");
    }

    /// <summary>
    /// What the operator does for a new cluster: its PVCs (owned by the Cluster), the full-recovery job pod, and,
    /// once the restored server is configured (owner, database, password), the primary pod and the secrets.
    /// </summary>
    private void Operate(JsonObject cluster)
    {
        var name = Name(cluster);
        var script = Restore;
        _pendingStatuses[("clusters", name)] = new Queue<JsonObject>(script.ClusterStatuses.Select(s => s.DeepClone().AsObject()));
        for (var i = 1; i <= script.PersistentVolumeClaims; i++) _pvcs.Add(Pvc($"{name}-{i}", cluster));
        _jobs[name] = new RecoveryJob(this, name, script, RestoresThroughPlugin(cluster));
        if (!script.MakesAppSecret || RestorePerformer is not null) return;
        if (script.Server is not { } server)
        {
            Configured(cluster, server: null, script.Password);
            return;
        }
        var (database, owner) = ApplicationDatabase(cluster);
        _performing.Add(Task.Run(async () =>
        {
            await RestoredInstanceSetup.ApplyAsync(server, database, owner, script.Password, _stopping.Token);
            lock (_lock)
                if (_objects.ContainsKey(("clusters", name))) Configured(cluster, server, script.Password);
        }));
    }

    /// <summary>bootstrap.recovery (or initdb) database and owner as CNPG defaults them: app, and the database's name.</summary>
    private static (string Database, string Owner) ApplicationDatabase(JsonObject cluster)
    {
        var recovery = cluster["spec"]?["bootstrap"]?["recovery"] ?? cluster["spec"]?["bootstrap"]?["initdb"];
        var database = recovery?["database"]?.GetValue<string>() is { Length: > 0 } d ? d : "app";
        var owner = recovery?["owner"]?.GetValue<string>() is { Length: > 0 } o ? o : database;
        return (database, owner);
    }

    /// <summary>The restored server is configured: its primary pod runs and the secrets exist.</summary>
    private void Configured(JsonObject cluster, PostgresEndpoint? server, string password)
    {
        var name = Name(cluster);
        var (database, owner) = ApplicationDatabase(cluster);
        var primary = PrimaryPod(name);
        _pods.RemoveAll(p => p["metadata"]!["name"]!.GetValue<string>() == primary);
        _pods.Add(Pod(primary, name, "instance", "Running"));
        if (server is not null) _podServers[primary] = server;
        // As CNPG writes them: the host is the read-write service, a name only the cluster's DNS resolves.
        _secrets[CnpgResources.AppSecret(name)] = Secret(CnpgResources.AppSecret(name), name, $"{name}-rw", database, owner, password);
        _secrets[CnpgResources.SuperuserSecret(name)] = Secret(CnpgResources.SuperuserSecret(name), name, $"{name}-rw", "*",
            server?.Superuser ?? "postgres", server?.SuperuserPassword ?? "su-" + Guid.NewGuid().ToString("N"));
    }

    /// <summary>
    /// A pod as CNPG makes it: the bootstrap-controller init container (which copies the instance manager in), the
    /// main container (postgres in an instance, the job role in a job), and the plugin's sidecar where one is injected.
    /// </summary>
    private JsonObject Pod(string name, string cluster, string role, string phase, bool pluginSidecar = false, DateTimeOffset? created = null)
    {
        var initContainers = new JsonArray(new JsonObject { ["name"] = "bootstrap-controller" });
        // The Barman Cloud Plugin injects its sidecar as a native sidecar: an init container with restartPolicy Always.
        if (pluginSidecar) initContainers.Add(new JsonObject { ["name"] = PluginSidecar, ["restartPolicy"] = "Always" });
        return new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name, ["namespace"] = Namespace,
                ["creationTimestamp"] = (created ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
                ["labels"] = role == "full-recovery"
                    ? new JsonObject { ["cnpg.io/cluster"] = cluster, ["cnpg.io/jobRole"] = role, ["cnpg.io/instanceName"] = PrimaryPod(cluster), ["job-name"] = RecoveryJob.JobName(cluster) }
                    : new JsonObject { ["cnpg.io/cluster"] = cluster, ["cnpg.io/instanceRole"] = "primary", ["cnpg.io/podRole"] = "instance" },
            },
            ["spec"] = new JsonObject
            {
                ["initContainers"] = initContainers,
                ["containers"] = new JsonArray(new JsonObject { ["name"] = role == "full-recovery" ? role : "postgres" }),
                ["restartPolicy"] = role == "full-recovery" ? "Never" : "Always",
            },
            ["status"] = new JsonObject { ["phase"] = phase },
        };
    }

    /// <summary>The container the Barman Cloud Plugin injects (plugin-barman-cloud's internal/cnpgi/operator/lifecycle.go).</summary>
    public const string PluginSidecar = "plugin-barman-cloud";

    private const string BarmanCloudPlugin = "barman-cloud.cloudnative-pg.io";

    /// <summary>Whether the plugin takes part in the recovery: the recovery source, or a plugin of the cluster, is the Barman Cloud Plugin.</summary>
    private static bool RestoresThroughPlugin(JsonObject cluster) =>
        (cluster["spec"]?["externalClusters"] as JsonArray ?? []).Any(e => e?["plugin"]?["name"]?.GetValue<string>() == BarmanCloudPlugin)
        || (cluster["spec"]?["plugins"] as JsonArray ?? []).Any(p => p?["name"]?.GetValue<string>() == BarmanCloudPlugin);

    /// <summary>
    /// GET pods/{pod}/log as the API server answers it: a pod with one container needs no name; else the container
    /// must be named, and must be one of the pod's (containers or init containers): 400 otherwise.
    /// </summary>
    private (int, string, string) PodLog(string pod, string? container)
    {
        const string json = "application/json";
        var obj = _pods.FirstOrDefault(p => Name(p) == pod);
        if (obj is null) return (404, Status(404, "NotFound", $"pods \"{pod}\" not found"), json);
        static List<string> Names(JsonNode? containers) => (containers as JsonArray ?? []).Select(c => c!["name"]!.GetValue<string>()).ToList();
        var (containers, initContainers) = (Names(obj["spec"]?["containers"]), Names(obj["spec"]?["initContainers"]));
        if (container is null)
        {
            if (containers.Count != 1)
                return (400, Status(400, "BadRequest", $"a container name must be specified for pod {pod}, choose one of: [{string.Join(' ', containers)}]" +
                                                        (initContainers.Count > 0 ? $" or one of the init containers: [{string.Join(' ', initContainers)}]" : "")), json);
            container = containers[0];
        }
        else if (!containers.Contains(container) && !initContainers.Contains(container))
            return (400, Status(400, "BadRequest", $"container {container} is not valid for pod {pod}"), json);
        return (200, _podLogs.GetValueOrDefault(pod)?.GetValueOrDefault(container) ?? "", "text/plain");
    }

    private void SetLog(string pod, string container, string log)
    {
        if (!_podLogs.TryGetValue(pod, out var logs)) _podLogs[pod] = logs = [];
        logs[container] = log;
    }

    /// <summary>
    /// A full-recovery Job as Kubernetes runs it: one pod per attempt (RestartPolicy Never); a failed attempt is
    /// replaced by a new pod until backoffLimit retries have failed, then the Job gets the condition Failed
    /// (BackoffLimitExceeded, after FailureTarget as since Kubernetes 1.31) and no new pod. Attempts end one per
    /// read of the Cluster, so tests do not depend on timing.
    /// </summary>
    private sealed class RecoveryJob
    {
        private readonly KubernetesApiDouble _double;
        private readonly string _cluster;
        private readonly RestoreScript _script;
        private readonly bool _plugin;
        private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
        private int _attempts;

        public RecoveryJob(KubernetesApiDouble @double, string cluster, RestoreScript script, bool plugin)
        {
            (_double, _cluster, _script, _plugin) = (@double, cluster, script, plugin);
            Object = new JsonObject
            {
                ["apiVersion"] = "batch/v1", ["kind"] = "Job",
                ["metadata"] = new JsonObject
                {
                    ["name"] = JobName(cluster), ["namespace"] = @double.Namespace, ["uid"] = Guid.NewGuid().ToString(),
                    ["creationTimestamp"] = _started.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
                    ["labels"] = new JsonObject { ["cnpg.io/cluster"] = cluster, ["cnpg.io/jobRole"] = "full-recovery", ["cnpg.io/instanceName"] = PrimaryPod(cluster) },
                },
                ["spec"] = new JsonObject { ["backoffLimit"] = script.BackoffLimit, ["completions"] = 1, ["parallelism"] = 1 },
                ["status"] = new JsonObject { ["active"] = 0, ["failed"] = 0, ["succeeded"] = 0 },
            };
            NewAttempt();
        }

        public static string JobName(string cluster) => $"{PrimaryPod(cluster)}-full-recovery";

        public JsonObject Object { get; }
        /// <summary>The pod of the current (last) attempt.</summary>
        public JsonObject Pod { get; private set; } = null!;
        /// <summary>Performed for real: the performer, not the script, ends the attempt.</summary>
        public bool Performed { get; set; }
        private bool Finished => Object["status"]!["conditions"] is not null;
        private int Failed => (int)Number(Object["status"]!["failed"]);

        /// <summary>One read of the Cluster: the running attempt ends as scripted.</summary>
        public void Step()
        {
            if (Performed || Finished || Pod["status"]!["phase"]!.GetValue<string>() != "Running") return;
            if (Failed < _script.FailedAttempts) Fail(_script.FailedAttemptLog ?? _script.RecoveryLog, retry: true);
            else End(_script.RecoveryPodPhase, _script.RecoveryLog);
        }

        /// <summary>The running attempt fails; Kubernetes retries it until the backoff limit is exceeded (or not at all).</summary>
        public void Fail(string log, bool retry)
        {
            _double.SetLog(Name(Pod), "full-recovery", log);
            Pod["status"]!["phase"] = "Failed";
            var status = Object["status"]!;
            status["failed"] = Failed + 1;
            status["active"] = 0;
            if (Failed > _script.BackoffLimit)
                status["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "FailureTarget", ["status"] = "True", ["reason"] = "BackoffLimitExceeded", ["message"] = "Job has reached the specified backoff limit" },
                    new JsonObject { ["type"] = "Failed", ["status"] = "True", ["reason"] = "BackoffLimitExceeded", ["message"] = "Job has reached the specified backoff limit" });
            else if (retry) NewAttempt();
        }

        /// <summary>Every attempt fails with the same log, as a deterministic failure does (the performer's).</summary>
        public void FailEveryAttempt(string log)
        {
            while (!Finished) Fail(log, retry: true);
        }

        public void End(string phase, string log)
        {
            _double.SetLog(Name(Pod), "full-recovery", log);
            Pod["status"]!["phase"] = phase;
            if (phase != "Succeeded") return;
            Object["status"]!["active"] = 0;
            Object["status"]!["succeeded"] = 1;
            Object["status"]!["conditions"] = new JsonArray(new JsonObject { ["type"] = "Complete", ["status"] = "True" });
        }

        private void NewAttempt()
        {
            // Kubernetes waits 10 s, 20 s, 40 s ... (at most 6 min) before a retry: the attempts' creation times say so.
            var delay = Enumerable.Range(0, _attempts).Sum(i => Math.Min(10 * (1 << Math.Min(i, 10)), 360));
            var name = $"{JobName(_cluster)}-{Guid.NewGuid().ToString("N")[..5]}";
            Pod = _double.Pod(name, _cluster, "full-recovery", "Running", _plugin, _started.AddSeconds(delay));
            _double._pods.Add(Pod);
            _double.SetLog(name, "full-recovery", Failed < _script.FailedAttempts ? _script.FailedAttemptLog ?? _script.RecoveryLog : _script.RecoveryLog);
            _double.SetLog(name, "bootstrap-controller", "");
            if (_plugin) _double.SetLog(name, PluginSidecar, _script.SidecarLog);
            _attempts++;
            Object["status"]!["active"] = 1;
        }
    }

    private JsonObject Secret(string secretName, string cluster, string host, string database, string username, string password)
    {
        string B64(string v) => Convert.ToBase64String(Encoding.UTF8.GetBytes(v));
        const int port = CnpgResources.PostgresPort;
        return new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret", ["type"] = "kubernetes.io/basic-auth",
            ["metadata"] = new JsonObject { ["name"] = secretName, ["namespace"] = Namespace, ["labels"] = new JsonObject { ["cnpg.io/cluster"] = cluster } },
            ["data"] = new JsonObject
            {
                ["username"] = B64(username), ["password"] = B64(password), ["dbname"] = B64(database),
                ["host"] = B64(host), ["port"] = B64(port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ["uri"] = B64($"postgresql://{username}:{password}@{host}:{port}/{database}"),
                ["pgpass"] = B64($"{host}:{port}:{database}:{username}:{password}\n"),
            },
        };
    }

    private void PerformBackup(string name, Func<JsonObject, Task<JsonObject>> perform, JsonObject backup)
    {
        _objects[("backups", name)]["status"] = DoubleStatuses.Backup("running");
        _performing.Add(Task.Run(async () =>
        {
            JsonObject status;
            try
            {
                status = await perform(backup);
            }
            catch (Exception e)
            {
                status = DoubleStatuses.Backup("failed", e.Message);
            }
            lock (_lock)
                if (_objects.TryGetValue(("backups", name), out var current)) current["status"] = status;
        }));
    }

    private void PerformRestore(string cluster, Func<JsonObject, Task<PerformedRestore>> perform, JsonObject manifest)
    {
        _pendingStatuses[("clusters", cluster)] = new Queue<JsonObject>([DoubleStatuses.Cluster("Setting up primary", ready: false)]);
        var job = _jobs[cluster];
        job.Performed = true;
        SetLog(Name(job.Pod), "full-recovery", "restore in progress\n");
        var password = Restore.Password;
        _performing.Add(Task.Run(async () =>
        {
            var (performed, error) = await PerformAndConfigureAsync(perform, manifest, password);
            var orphan = false;
            lock (_lock)
            {
                if (!_objects.ContainsKey(("clusters", cluster))) orphan = true;
                else if (error is not null) job.FailEveryAttempt(error); // a real restore's failure is deterministic: every retry fails alike
                else
                {
                    job.End("Succeeded", performed!.Log);
                    _pendingStatuses[("clusters", cluster)] = new Queue<JsonObject>([DoubleStatuses.Healthy()]);
                    Configured(manifest, performed.Server, password);
                }
                if (performed is not null && !orphan) _performedServers[cluster] = performed.Lifetime;
            }
            if (orphan && performed is not null) await performed.Lifetime.DisposeAsync(); // deleted while restoring
        }));
    }

    /// <summary>
    /// Performs the Cluster for real, then configures its server as CNPG's instance manager does (owner, database,
    /// password). A server that was started is returned even when its configuration failed, so it is disposed with the Cluster.
    /// </summary>
    private async Task<(PerformedRestore? Performed, string? Error)> PerformAndConfigureAsync(Func<JsonObject, Task<PerformedRestore>> perform, JsonObject manifest, string password)
    {
        var (database, owner) = ApplicationDatabase(manifest);
        PerformedRestore? performed = null;
        try
        {
            performed = await perform(manifest);
            await RestoredInstanceSetup.ApplyAsync(performed.Server, database, owner, password, _stopping.Token);
            return (performed, null);
        }
        catch (Exception e)
        {
            return (performed, e is RestoreDrills.Failures.DrillFailure { Evidence: { } evidence } ? $"{evidence}\n{e.Message}" : e.Message);
        }
    }

    private void PerformSource(string cluster, Func<JsonObject, Task<PerformedRestore>> start, JsonObject manifest)
    {
        var instances = (int)Number(manifest["spec"]?["instances"]);
        for (var i = 1; i <= Math.Max(1, instances); i++) _pvcs.Add(Pvc($"{cluster}-{i}", manifest));
        _pendingStatuses[("clusters", cluster)] = new Queue<JsonObject>([DoubleStatuses.Cluster("Setting up primary", ready: false)]);
        var password = Restore.Password;
        _performing.Add(Task.Run(async () =>
        {
            var (performed, error) = await PerformAndConfigureAsync(start, manifest, password);
            var orphan = false;
            lock (_lock)
            {
                if (!_objects.TryGetValue(("clusters", cluster), out var obj)) orphan = true;
                else
                {
                    // From here the status is the object's own, so the archiver's reports stay in it.
                    _pendingStatuses.Remove(("clusters", cluster));
                    if (error is not null)
                    {
                        obj["status"] = DoubleStatuses.Cluster("Cluster is unrecoverable and needs manual intervention", ready: false);
                        obj["status"]!["phaseReason"] = error;
                    }
                    else
                    {
                        obj["status"] = DoubleStatuses.Healthy(archiving: true);
                        obj["status"]!["readyInstances"] = Math.Max(1, instances);
                        // As the operator lists them from the PVCs (pkg/reconciler/persistentvolumeclaim/status.go).
                        obj["status"]!["instanceNames"] = new JsonArray(Enumerable.Range(1, Math.Max(1, instances)).Select(i => (JsonNode)$"{cluster}-{i}").ToArray());
                        Configured(manifest, performed!.Server, password);
                    }
                    if (performed is not null) _performedServers[cluster] = performed.Lifetime;
                }
            }
            if (orphan && performed is not null) await performed.Lifetime.DisposeAsync(); // deleted while starting
            else if (error is null && performed is not null)
                await ArchiverReport.RunAsync(performed.Server, (wal, at) => ReportArchived(cluster, wal, at), _stopping.Token);
        }));
    }

    /// <summary>
    /// PATCH …/{plural}/{name}/status with a JSON merge patch: its status fields merged into the object's status. A new
    /// targetPrimary of a source Cluster starts a switchover (<see cref="SwitchoverPerformer"/>).
    /// </summary>
    private (int, string, string) PatchStatus(string plural, string name, string body)
    {
        if (!_objects.TryGetValue((plural, name), out var obj)) return (404, Status(404, "NotFound", $"{plural} \"{name}\" not found"), "application/json");
        if (JsonNode.Parse(body)?["status"] is not JsonObject patch) return (422, Status(422, "Invalid", "the patch has no status object"), "application/json");
        var status = obj["status"] as JsonObject ?? (JsonObject)(obj["status"] = new JsonObject());
        var switchTo = plural == "clusters" && patch["targetPrimary"]?.GetValue<string>() is { } target && target != status["currentPrimary"]?.GetValue<string>()
            ? target : null;
        if (switchTo is not null && (SwitchoverPerformer is null || !_performedServers.ContainsKey(name)))
            return (422, Status(422, "Invalid", $"the double performs switchovers only of the sources it runs, and {name} is not one"), "application/json");
        foreach (var (field, value) in patch.ToList()) status[field] = value?.DeepClone();
        if (switchTo is not null) _performing.Add(Task.Run(() => SwitchOverAsync(name, switchTo, SwitchoverPerformer!)));
        return (200, obj.ToJsonString(), "application/json");
    }

    private async Task SwitchOverAsync(string cluster, string target, Func<string, Task<(PostgresEndpoint Server, int Timeline)>> perform)
    {
        (PostgresEndpoint Server, int Timeline)? promoted = null;
        string? error = null;
        try
        {
            promoted = await perform(cluster);
        }
        catch (Exception e)
        {
            error = e.Message;
        }
        lock (_lock)
        {
            if (!_objects.TryGetValue(("clusters", cluster), out var obj)) return;
            var status = obj["status"]!;
            if (promoted is not { } done)
            {
                status["phase"] = "Failing over";
                status["phaseReason"] = $"switchover to {target} failed: {error}";
                return;
            }
            _pods.RemoveAll(p => Name(p) == target);
            _pods.Add(Pod(target, cluster, "instance", "Running"));
            _podServers[target] = done.Server;
            status["currentPrimary"] = target;
            status["timelineID"] = done.Timeline;
            status["phase"] = CnpgResources.HealthyPhase;
            status["phaseReason"] = "";
        }
        // The promoted primary archives on; its pg_stat_archiver is what the Cluster's status reports from now.
        await ArchiverReport.RunAsync(promoted.Value.Server, (wal, at) => ReportArchived(cluster, wal, at), _stopping.Token);
    }

    private (int, string, string) Read(string plural, string name)
    {
        if (!_objects.TryGetValue((plural, name), out var obj)) return (404, Status(404, "NotFound", $"{plural} \"{name}\" not found"), "application/json");
        if (plural == "clusters" && _jobs.TryGetValue(name, out var job)) job.Step();
        if (_pendingStatuses.TryGetValue((plural, name), out var statuses) && statuses.Count > 0)
            obj["status"] = statuses.Count > 1 ? statuses.Dequeue() : statuses.Peek().DeepClone();
        if (plural == "clusters" && Number(obj["status"]?["readyInstances"]) > 0 && _pods.Any(p => p["metadata"]!["name"]!.GetValue<string>() == PrimaryPod(name)))
            obj["status"]!["currentPrimary"] ??= PrimaryPod(name);
        return (200, obj.ToJsonString(), "application/json");
    }

    /// <summary>
    /// Deleting a cluster takes its pods and secrets with it; its PVCs follow a moment later, when the garbage
    /// collector finds their owner gone (the next request), as on a real cluster: the drill deletes no PVC itself.
    /// </summary>
    private (int, string, string) Delete(string plural, string name)
    {
        if (!_objects.Remove((plural, name))) return (404, Status(404, "NotFound", $"{plural} \"{name}\" not found"), "application/json");
        _pendingStatuses.Remove((plural, name));
        if (plural == "clusters")
        {
            foreach (var pod in _pods.Where(p => Matches(p, $"cnpg.io/cluster={name}"))) _podServers.Remove(pod["metadata"]!["name"]!.GetValue<string>());
            foreach (var pod in _pods.Where(p => Matches(p, $"cnpg.io/cluster={name}"))) _podLogs.Remove(Name(pod));
            _pods.RemoveAll(p => Matches(p, $"cnpg.io/cluster={name}"));
            _jobs.Remove(name);
            _secrets.Remove(CnpgResources.AppSecret(name));
            _secrets.Remove(CnpgResources.SuperuserSecret(name));
            if (_performedServers.Remove(name, out var server)) _performing.Add(Task.Run(async () => await server.DisposeAsync()));
            _collectGarbage = true;
        }
        return (200, Status(200, "", "deleted"), "application/json");
    }

    /// <summary>Removes the PVCs whose owner (by uid) no longer exists; runs on the request after a delete.</summary>
    private void CollectGarbage()
    {
        if (!_collectGarbage) return;
        _collectGarbage = false;
        var uids = _objects.Values.Select(o => o["metadata"]!["uid"]!.GetValue<string>()).ToHashSet();
        _pvcs.RemoveAll(p => p["metadata"]!["ownerReferences"]!.AsArray().Any(r => !uids.Contains(r!["uid"]!.GetValue<string>())));
    }

    private (int, string, string) Unknown(string method, string[] path)
    {
        _unexpected.Add($"{method} /{string.Join('/', path)}");
        return (404, Status(404, "NotFound", "the double does not serve this"), "application/json");
    }

    private JsonObject Stamp(JsonObject obj, DateTimeOffset created)
    {
        var metadata = obj["metadata"]!.AsObject();
        metadata["namespace"] = Namespace;
        metadata["uid"] ??= Guid.NewGuid().ToString();
        metadata["resourceVersion"] = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
        metadata["creationTimestamp"] ??= created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        return obj;
    }

    private JsonObject Pvc(string name, JsonObject cluster) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = name, ["namespace"] = Namespace, ["labels"] = new JsonObject { ["cnpg.io/cluster"] = Name(cluster) },
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = $"{CnpgResources.Group}/{CnpgResources.Version}", ["kind"] = "Cluster", ["name"] = Name(cluster),
                ["uid"] = cluster["metadata"]!["uid"]!.GetValue<string>(), ["controller"] = true,
            }),
        },
        ["spec"] = new JsonObject { ["accessModes"] = new JsonArray("ReadWriteOnce") },
    };

    private static string KindOf(string plural) => plural switch
    {
        "clusters" => "Cluster", "backups" => "Backup", "scheduledbackups" => "ScheduledBackup", _ => plural,
    };

    /// <summary>A JSON number however it was built (parsed, or from YAML as a long).</summary>
    private static long Number(JsonNode? node) =>
        node is JsonValue value && long.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>A new cluster's first instance, which CNPG makes its primary (status.currentPrimary names it).</summary>
    private static string PrimaryPod(string cluster) => $"{cluster}-1";

    private static string Name(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();

    /// <summary>fieldSelector metadata.name=x, the only field selector the drill uses.</summary>
    private static bool MatchesName(JsonObject obj, string? fieldSelector) =>
        fieldSelector is null || fieldSelector == $"metadata.name={Name(obj)}";

    /// <summary>Equality selectors ("a=b,c=d"), the only kind the drill uses.</summary>
    private static bool Matches(JsonObject obj, string? selector) =>
        string.IsNullOrEmpty(selector) || selector.Split(',').All(term =>
        {
            var (key, value) = (term.Split('=')[0], term.Split('=', 2).ElementAtOrDefault(1));
            return obj["metadata"]?["labels"]?[key]?.GetValue<string>() == value;
        });

    private static string List(string apiVersion, string kind, IEnumerable<JsonObject> items) =>
        new JsonObject
        {
            ["apiVersion"] = apiVersion, ["kind"] = kind + "List", ["metadata"] = new JsonObject { ["resourceVersion"] = "1" },
            ["items"] = new JsonArray(items.Select(i => (JsonNode)i.DeepClone()).ToArray()),
        }.ToJsonString();

    private static string Status(int code, string reason, string message) =>
        new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(),
            ["status"] = code < 400 ? "Success" : "Failure", ["message"] = message, ["reason"] = reason, ["code"] = code,
        }.ToJsonString();

    private static async Task RespondAsync(HttpListenerResponse response, int code, string body, string contentType = "application/json")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = code;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    /// <summary>Stops serving; waits (bounded) for real work in flight and disposes any server a test left behind.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Stop();
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
            Task[] performing;
            lock (_lock) performing = [.. _performing];
            Task.WaitAll(performing, TimeSpan.FromMinutes(2));
        }
        catch (AggregateException)
        {
            // work cancelled or failed with the double: what it left is disposed below all the same
        }
        finally
        {
            // Real servers (containers) are disposed whatever happened above: none may be left behind.
            List<IAsyncDisposable> left;
            lock (_lock) { left = [.. _performedServers.Values]; _performedServers.Clear(); }
            foreach (var server in left)
            {
                try
                {
                    server.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(30));
                }
                catch (AggregateException)
                {
                    // the run's label sweep removes what a failed disposal left
                }
            }
            _stopping.Dispose();
        }
    }
}
