using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using RestoreDrills.Drills;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// A restored cluster while it exists: created from a validated manifest, waited for until ready, and always
/// deleted with its PVCs when disposed, also after a failure or a cancellation (the deletion has its own timeout,
/// not the drill's token). Disposing never throws: a deletion problem is recorded in <see cref="CleanupProblem"/>.
/// </summary>
public sealed class RestoredCnpgCluster : IAsyncDisposable
{
    /// <summary>How much of each recovery pod's log goes into the evidence.</summary>
    public const int EvidenceLogLines = 200;
    private const string UnrecoverablePhase = "Cluster is unrecoverable and needs manual intervention";

    private readonly CnpgApi _api;
    private readonly CnpgSettings _settings;
    private readonly Action<string> _progress;
    private bool _disposed;

    private RestoredCnpgCluster(CnpgApi api, CnpgSettings settings, string name, Action<string> progress)
    {
        (_api, _settings, Name, _progress) = (api, settings, name, progress);
    }

    public string Name { get; }
    public string? CleanupProblem { get; private set; }

    /// <summary>Creates the cluster. From here on it is owned: the caller disposes it whatever happens next.</summary>
    public static async Task<RestoredCnpgCluster> CreateAsync(CnpgApi api, CnpgSettings settings, JsonObject manifest, Action<string> progress, CancellationToken ct)
    {
        var name = manifest["metadata"]!["name"]!.GetValue<string>();
        var restored = new RestoredCnpgCluster(api, settings, name, progress);
        try
        {
            await api.CreateAsync(CnpgResources.Clusters, manifest, ct);
        }
        catch
        {
            await restored.DisposeAsync(); // a create that timed out on the client may still have happened
            throw;
        }
        return restored;
    }

    /// <summary>
    /// Waits for Ready (condition, healthy phase, all instances). An unrecoverable phase or a failed recovery job
    /// ends the wait at once. A failure carries the recovery pods' logs and the Cluster's status as evidence;
    /// PostgreSQL's "recovery ended before configured recovery target was reached" is reported as such (<see cref="RecoveryLogVerdict"/>).
    /// </summary>
    public async Task<TimeSpan> WaitReadyAsync(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var cluster = await _api.GetAsync(CnpgResources.Clusters, Name, ct)
                          ?? throw new CnpgSetupException($"restored cluster {Name} disappeared while the drill waited for it");
            var status = ClusterStatus.From(cluster);
            if (status.IsReady) return watch.Elapsed;

            var failedPod = (await RecoveryPodsAsync(ct)).FirstOrDefault(p => p.Status?.Phase == "Failed");
            var reason = status.Phase == UnrecoverablePhase ? $"phase \"{status.Phase}\""
                : failedPod is not null ? $"recovery job pod {failedPod.Metadata.Name} failed"
                : watch.Elapsed >= _settings.ClusterReadyTimeout
                    ? $"not ready after {_settings.ClusterReadyTimeout.TotalSeconds:0.#} s (RESTOREDRILLS_TIMEOUT_CNPG_CLUSTER_READY_SECONDS): phase \"{status.Phase}\", {status.Describe(ClusterStatus.Ready)}"
                    : null;
            if (reason is not null) throw await FailureAsync(cluster, reason, ct);
            await Task.Delay(_settings.PollInterval, ct);
        }
    }

    /// <summary>The application user's connection, from the &lt;cluster&gt;-app secret (waited for, bounded).</summary>
    public Task<CnpgConnection> ConnectionAsync(CancellationToken ct) => SecretConnectionAsync(CnpgResources.AppSecret(Name), ct);

    /// <summary>The superuser's connection, from the &lt;cluster&gt;-superuser secret (spec.enableSuperuserAccess).</summary>
    public Task<CnpgConnection> SuperuserConnectionAsync(CancellationToken ct) => SecretConnectionAsync(CnpgResources.SuperuserSecret(Name), ct);

    /// <summary>The pod PostgreSQL's primary runs in (status.currentPrimary), where a port-forward goes.</summary>
    public async Task<string> PrimaryPodAsync(CancellationToken ct)
    {
        var cluster = await _api.GetAsync(CnpgResources.Clusters, Name, ct)
                      ?? throw new CnpgSetupException($"restored cluster {Name} disappeared while the drill connected to it");
        return cluster["status"]?["currentPrimary"]?.GetValue<string>() is { Length: > 0 } pod
            ? pod
            : throw new CnpgSetupException($"restored cluster {Name} is ready but names no status.currentPrimary: the drill cannot tell which pod to connect to");
    }

    private async Task<CnpgConnection> SecretConnectionAsync(string name, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (await _api.SecretAsync(name, ct) is { } secret) return CnpgConnection.FromSecret(secret);
            if (watch.Elapsed >= _settings.AppSecretTimeout)
                throw new CnpgSetupException(
                    $"secret {name} not found after {_settings.AppSecretTimeout.TotalSeconds:0.#} s (RESTOREDRILLS_TIMEOUT_CNPG_APP_SECRET_SECONDS): " +
                    "the operator makes it when it bootstraps the cluster; without it the drill cannot connect");
            await Task.Delay(_settings.PollInterval, ct);
        }
    }

    private async Task<DrillFailure> FailureAsync(JsonObject cluster, string reason, CancellationToken ct)
    {
        var evidence = new StringBuilder();
        evidence.Append("Cluster ").Append(Name).Append(" status:\n").Append(cluster["status"]?.ToJsonString(Json.Indented) ?? "none").Append('\n');
        var logs = new StringBuilder();
        try
        {
            foreach (var pod in await RecoveryPodsAsync(ct))
            {
                var log = await _api.PodLogAsync(pod.Metadata.Name, EvidenceLogLines, ct);
                logs.Append("\n--- log of ").Append(pod.Metadata.Name).Append(" (phase ").Append(pod.Status?.Phase).Append(", last ")
                    .Append(EvidenceLogLines).Append(" lines) ---\n").Append(log);
            }
            if (logs.Length == 0) logs.Append("\nno full-recovery job pod found (prefix ").Append(CnpgResources.FullRecoveryPodPrefix(Name)).Append(')');
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logs.Append("\nthe recovery pods' logs could not be read: ").Append(e.Message);
        }
        evidence.Append(logs);
        // JSON as CNPG logs it, or plain text; PostgreSQL's own verdict first (RecoveryLogVerdict).
        var (line, targetNotReached) = RecoveryLogVerdict.Judge([logs.ToString()]);
        var cause = targetNotReached ? FailureCause.TargetNotReached : FailureCause.RestoreFailed;
        var message = $"restored cluster {Name} {reason}" + (line is null ? "" : $"; recovery log: {line}");
        return new DrillFailure(cause, message, evidence.ToString());
    }

    private async Task<IReadOnlyList<k8s.Models.V1Pod>> RecoveryPodsAsync(CancellationToken ct) =>
        (await _api.ListPodsAsync($"{CnpgResources.ClusterLabel}={Name}", ct))
        .Where(p => p.Metadata.Name.StartsWith(CnpgResources.FullRecoveryPodPrefix(Name), StringComparison.Ordinal))
        .ToList();

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        CleanupProblem = await CnpgCleanup.DeleteClusterAsync(_api, Name, _settings.DeleteTimeout, _settings.PollInterval);
        _progress(CleanupProblem is null ? $"deleted restored cluster {Name} and its PVCs" : $"warning: {CleanupProblem}");
    }
}
