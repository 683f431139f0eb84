using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using RestoreDrills.Platforms.Cnpg.Manifests;

namespace RestoreDrills.Tests.Cnpg.Double;

/// <summary>
/// A Kubernetes API server in miniature: a real HTTP server on 127.0.0.1 (a free port) that answers the calls the
/// CNPG platform makes through KubernetesClient, in the API's JSON, for one namespace: CloudNative-PG custom
/// objects (create, get, list by label, delete), pods and their logs, secrets, PVCs (list and delete-collection by
/// label). Created objects are validated against the official CRDs, as the API server does (422 when invalid).
/// A scripted "operator" moves created Backups and Clusters through their statuses, one step per read, so
/// tests do not depend on timing. Anything else is answered 404 and recorded in <see cref="Unexpected"/>.
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
    private readonly Dictionary<string, string> _podLogs = [];
    private readonly Dictionary<string, JsonObject> _secrets = [];
    private readonly List<JsonObject> _pvcs = [];
    private readonly List<string> _requests = [];
    private readonly List<string> _unexpected = [];
    private readonly List<Task> _performing = [];
    private readonly Dictionary<string, IAsyncDisposable> _performedServers = [];
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
    /// When set, a created Cluster is restored for real ("Setting up primary" meanwhile): on success it becomes
    /// healthy and its app secret points at the restored server; on failure its recovery pod fails with the error
    /// as its log. Deleting the Cluster disposes the server.
    /// </summary>
    public Func<JsonObject, Task<PerformedRestore>>? RestorePerformer { get; set; }

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

    public JsonObject? Find(string plural, string name) { lock (_lock) return _objects.GetValueOrDefault((plural, name))?.DeepClone().AsObject(); }

    public IReadOnlyList<JsonObject> All(string plural) { lock (_lock) return _objects.Where(o => o.Key.Plural == plural).Select(o => o.Value.DeepClone().AsObject()).ToList(); }

    public int PersistentVolumeClaims(string labelSelector) { lock (_lock) return _pvcs.Count(p => Matches(p, labelSelector)); }

    public void AddPersistentVolumeClaim(string name, string cluster)
    {
        lock (_lock) _pvcs.Add(Pvc(name, cluster));
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
            try
            {
                await HandleAsync(context);
            }
            catch (Exception e)
            {
                await RespondAsync(context.Response, 500, Status(500, "InternalError", e.Message));
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath.Trim('/').Split('/');
        var selector = request.QueryString["labelSelector"];
        string body;
        using (var reader = new StreamReader(request.InputStream, Encoding.UTF8)) body = await reader.ReadToEndAsync();
        var (code, response, contentType) = Route(request.HttpMethod, path, selector, body);
        await RespondAsync(context.Response, code, response, contentType);
    }

    private (int, string, string) Route(string method, string[] path, string? selector, string body)
    {
        lock (_lock)
        {
            _requests.Add($"{method} /{string.Join('/', path)}{(selector is null ? "" : $"?labelSelector={selector}")}");
            const string json = "application/json";
            switch (path)
            {
                case ["apis", var group, var version, "namespaces", var ns, var plural] when ns == Namespace:
                    return method switch
                    {
                        "GET" => (200, List($"{group}/{version}", KindOf(plural), _objects.Where(o => o.Key.Plural == plural).Select(o => o.Value).Where(o => Matches(o, selector))), json),
                        "POST" => Create(plural, body),
                        _ => Unknown(method, path),
                    };
                case ["apis", _, _, "namespaces", var ns, var plural, var name] when ns == Namespace:
                    return method switch
                    {
                        "GET" => Read(plural, name),
                        "DELETE" => Delete(plural, name),
                        _ => Unknown(method, path),
                    };
                case ["api", "v1", "namespaces", var ns, "pods"] when ns == Namespace && method == "GET":
                    return (200, List("v1", "Pod", _pods.Where(p => Matches(p, selector))), json);
                case ["api", "v1", "namespaces", var ns, "pods", var pod, "log"] when ns == Namespace && method == "GET":
                    return _podLogs.TryGetValue(pod, out var log) ? (200, log, "text/plain") : (404, Status(404, "NotFound", $"pods \"{pod}\" not found"), json);
                case ["api", "v1", "namespaces", var ns, "secrets", var secret] when ns == Namespace && method == "GET":
                    return _secrets.TryGetValue(secret, out var s) ? (200, s.ToJsonString(), json) : (404, Status(404, "NotFound", $"secrets \"{secret}\" not found"), json);
                case ["api", "v1", "namespaces", var ns, "persistentvolumeclaims"] when ns == Namespace && method == "GET":
                    return (200, List("v1", "PersistentVolumeClaim", _pvcs.Where(p => Matches(p, selector))), json);
                case ["api", "v1", "namespaces", var ns, "persistentvolumeclaims"] when ns == Namespace && method == "DELETE":
                    if (string.IsNullOrEmpty(selector)) return (400, Status(400, "BadRequest", "the drill must never delete PVCs without a label selector"), json);
                    _pvcs.RemoveAll(p => Matches(p, selector));
                    return (200, Status(200, "", "deleted"), json);
                default:
                    return Unknown(method, path);
            }
        }
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
        if (plural == "clusters") Operate(name);
        if (plural == "clusters" && RestorePerformer is { } restore) PerformRestore(name, restore, obj.DeepClone().AsObject());
        return (201, obj.ToJsonString(), "application/json");
    }

    /// <summary>What the operator does for a new cluster: its PVCs, the full-recovery job pod, the app secret.</summary>
    private void Operate(string cluster)
    {
        var script = Restore;
        _pendingStatuses[("clusters", cluster)] = new Queue<JsonObject>(script.ClusterStatuses.Select(s => s.DeepClone().AsObject()));
        for (var i = 1; i <= script.PersistentVolumeClaims; i++) _pvcs.Add(Pvc($"{cluster}-{i}", cluster));
        var pod = $"{cluster}-1-full-recovery-{Guid.NewGuid().ToString("N")[..5]}";
        _pods.Add(new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = pod, ["namespace"] = Namespace, ["labels"] = new JsonObject { ["cnpg.io/cluster"] = cluster, ["cnpg.io/jobRole"] = "full-recovery" } },
            ["status"] = new JsonObject { ["phase"] = script.RecoveryPodPhase },
        });
        _podLogs[pod] = script.RecoveryLog;
        if (script.MakesAppSecret) _secrets[$"{cluster}-app"] = AppSecret(cluster, script.Host, script.Port, script.Database, script.Username, script.Password);
    }

    private JsonObject AppSecret(string cluster, string host, int port, string database, string username, string password)
    {
        string B64(string v) => Convert.ToBase64String(Encoding.UTF8.GetBytes(v));
        return new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Secret", ["type"] = "kubernetes.io/basic-auth",
            ["metadata"] = new JsonObject { ["name"] = $"{cluster}-app", ["namespace"] = Namespace, ["labels"] = new JsonObject { ["cnpg.io/cluster"] = cluster } },
            ["data"] = new JsonObject
            {
                ["username"] = B64(username), ["password"] = B64(password), ["dbname"] = B64(database),
                ["host"] = B64(host), ["port"] = B64(port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ["uri"] = B64($"postgresql://{username}:{password}@{host}:{port}/{database}"),
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
        var pod = _pods.Single(p => Matches(p, $"cnpg.io/cluster={cluster}"));
        pod["status"]!["phase"] = "Running";
        _podLogs[pod["metadata"]!["name"]!.GetValue<string>()] = "restore in progress\n";
        _secrets.Remove($"{cluster}-app");
        _performing.Add(Task.Run(async () =>
        {
            PerformedRestore? performed = null;
            string? error = null;
            try
            {
                performed = await perform(manifest);
            }
            catch (Exception e)
            {
                error = e is Drills.DrillFailure { Evidence: { } evidence } ? $"{evidence}\n{e.Message}" : e.Message;
            }
            var orphan = false;
            lock (_lock)
            {
                var podName = pod["metadata"]!["name"]!.GetValue<string>();
                if (!_objects.ContainsKey(("clusters", cluster))) orphan = true;
                else if (performed is null)
                {
                    pod["status"]!["phase"] = "Failed";
                    _podLogs[podName] = error!;
                }
                else
                {
                    pod["status"]!["phase"] = "Succeeded";
                    _podLogs[podName] = performed.Log;
                    _pendingStatuses[("clusters", cluster)] = new Queue<JsonObject>([DoubleStatuses.Healthy()]);
                    _secrets[$"{cluster}-app"] = AppSecret(cluster, performed.Host, performed.Port, performed.Database, performed.Username, performed.Password);
                    _performedServers[cluster] = performed.Server;
                }
            }
            if (orphan && performed is not null) await performed.Server.DisposeAsync(); // deleted while restoring
        }));
    }

    private (int, string, string) Read(string plural, string name)
    {
        if (!_objects.TryGetValue((plural, name), out var obj)) return (404, Status(404, "NotFound", $"{plural} \"{name}\" not found"), "application/json");
        if (_pendingStatuses.TryGetValue((plural, name), out var statuses) && statuses.Count > 0)
            obj["status"] = statuses.Count > 1 ? statuses.Dequeue() : statuses.Peek().DeepClone();
        return (200, obj.ToJsonString(), "application/json");
    }

    /// <summary>Deleting a cluster takes its pods and secrets with it (owner references); PVCs stay until deleted.</summary>
    private (int, string, string) Delete(string plural, string name)
    {
        if (!_objects.Remove((plural, name))) return (404, Status(404, "NotFound", $"{plural} \"{name}\" not found"), "application/json");
        _pendingStatuses.Remove((plural, name));
        if (plural == "clusters")
        {
            _pods.RemoveAll(p => Matches(p, $"cnpg.io/cluster={name}"));
            _secrets.Remove($"{name}-app");
            if (_performedServers.Remove(name, out var server)) _performing.Add(Task.Run(async () => await server.DisposeAsync()));
        }
        return (200, Status(200, "", "deleted"), "application/json");
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

    private JsonObject Pvc(string name, string cluster) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace, ["labels"] = new JsonObject { ["cnpg.io/cluster"] = cluster } },
        ["spec"] = new JsonObject { ["accessModes"] = new JsonArray("ReadWriteOnce") },
    };

    private static string KindOf(string plural) => plural switch
    {
        "clusters" => "Cluster", "backups" => "Backup", "scheduledbackups" => "ScheduledBackup", _ => plural,
    };

    private static string Name(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();

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
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
        Task[] performing;
        lock (_lock) performing = [.. _performing];
        Task.WaitAll(performing, TimeSpan.FromMinutes(2));
        List<IAsyncDisposable> left;
        lock (_lock) { left = [.. _performedServers.Values]; _performedServers.Clear(); }
        foreach (var server in left) server.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(30));
    }
}
