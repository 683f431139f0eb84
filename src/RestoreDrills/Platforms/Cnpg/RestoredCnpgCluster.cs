using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using RestoreDrills.Failures;
using RestoreDrills.Platforms.Cnpg.Manifests;

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
    /// Waits for Ready (condition, healthy phase, all instances). An unrecoverable phase or a failed full-recovery
    /// Job ends the wait at once. The Job, not its pod: CNPG sets no backoffLimit on it (pkg/specs/jobs.go), so
    /// Kubernetes replaces a failed pod up to 6 times before the Job fails (condition Failed, BackoffLimitExceeded),
    /// and a transient failure of one attempt is no failed restore. A failure carries every attempt's logs and the
    /// Cluster's status as evidence; the cause is read from the last attempt's log (<see cref="RecoveryLogVerdict"/>).
    /// </summary>
    public async Task<TimeSpan> WaitReadyAsync(CancellationToken ct)
    {
        var failedAttempts = 0;
        JsonObject? last = null;
        var timeout = _settings.ClusterReadyTimeout;
        var wait = new Poll($"restored cluster {Name} ready", timeout, Configuration.SettingsTable.TimeoutCnpgClusterReady.Name, _settings.PollInterval);
        return await wait.UntilAsync(async (elapsed, token) =>
        {
            var cluster = last = await _api.GetAsync(CnpgResources.Clusters, Name, token)
                                 ?? throw new CnpgSetupException($"restored cluster {Name} disappeared while the drill waited for it");
            var status = ClusterStatus.From(cluster);
            if (status.IsReady) return Poll.Answer<TimeSpan>.Of(elapsed);

            var jobs = await _api.ListJobsAsync(CnpgResources.FullRecoveryJobSelector(Name), token);
            var failedJob = jobs.Select(j => (Job: j, Failed: FailedCondition(j))).FirstOrDefault(j => j.Failed is not null);
            var failed = jobs.Sum(j => j.Status?.Failed ?? 0);
            if (failed > failedAttempts && failedJob.Job is null)
                _progress($"restored cluster {Name}: {failed} full-recovery attempt(s) failed; Kubernetes retries until the Job's backoffLimit");
            failedAttempts = Math.Max(failedAttempts, failed);
            var reason = status.Phase == UnrecoverablePhase ? $"phase \"{status.Phase}\""
                : failedJob.Job is { } job
                    ? $"recovery job {job.Metadata.Name} failed after {job.Status?.Failed ?? 0} attempt(s) ({failedJob.Failed!.Reason}: {failedJob.Failed.Message})"
                    : null;
            if (reason is not null) throw await FailureAsync(cluster, reason, token);
            return Poll.Answer<TimeSpan>.NotYet($"phase \"{status.Phase}\", {status.Describe(ClusterStatus.Ready)}");
        }, async seen => await FailureAsync(last!,
            $"not ready after {timeout.TotalSeconds:0.#} s (RESTOREDRILLS_TIMEOUT_CNPG_CLUSTER_READY_SECONDS): {seen}", ct), ct);
    }

    /// <summary>The Job's terminal Failed condition (what CNPG's JobHasFailed keys off), not status.failed, which counts retried attempts.</summary>
    private static k8s.Models.V1JobCondition? FailedCondition(k8s.Models.V1Job job) =>
        job.Status?.Conditions?.FirstOrDefault(c => c.Type == "Failed" && c.Status == "True");

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

    private Task<CnpgConnection> SecretConnectionAsync(string name, CancellationToken ct) =>
        new Poll($"secret {name}", _settings.AppSecretTimeout, Configuration.SettingsTable.TimeoutCnpgAppSecret.Name, _settings.PollInterval)
            .UntilAsync(async (_, token) => await _api.SecretAsync(name, token) is { } secret
                    ? Poll.Answer<CnpgConnection>.Of(CnpgConnection.FromSecret(secret))
                    : Poll.Answer<CnpgConnection>.NotYet("not found"),
                _ => new CnpgSetupException(
                    $"secret {name} not found after {_settings.AppSecretTimeout.TotalSeconds:0.#} s (RESTOREDRILLS_TIMEOUT_CNPG_APP_SECRET_SECONDS): " +
                    "the operator makes it when it bootstraps the cluster; without it the drill cannot connect"), ct);

    private async Task<DrillFailure> FailureAsync(JsonObject cluster, string reason, CancellationToken ct)
    {
        var evidence = new StringBuilder();
        evidence.Append("Cluster ").Append(Name).Append(" status:\n").Append(cluster["status"]?.ToJsonString(Json.Indented) ?? "none").Append('\n');
        // Per attempt, oldest first; in each, the recovery container's log first, then its sidecars' (the Barman Cloud Plugin's).
        var attempts = new List<List<string>>();
        try
        {
            var pods = await RecoveryPodsAsync(ct);
            for (var i = 0; i < pods.Count; i++)
            {
                var pod = pods[i];
                var logs = new List<string>();
                foreach (var container in Containers(pod))
                {
                    var log = await _api.PodLogAsync(pod.Metadata.Name, EvidenceLogLines, ct, container);
                    logs.Add(log);
                    evidence.Append("\n--- log of ").Append(pod.Metadata.Name).Append(container is null ? "" : $" container {container}")
                        .Append(" (attempt ").Append(i + 1).Append(" of ").Append(pods.Count).Append(", phase ").Append(pod.Status?.Phase)
                        .Append(", last ").Append(EvidenceLogLines).Append(" lines) ---\n").Append(log);
                }
                attempts.Add(logs);
            }
            if (pods.Count == 0) evidence.Append("\nno full-recovery job pod found (prefix ").Append(CnpgResources.FullRecoveryPodPrefix(Name)).Append(')');
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            evidence.Append("\nthe recovery pods' logs could not be read: ").Append(e.Message);
        }
        // The last attempt's verdict; an earlier one's only when the last says nothing (e.g. it had barely started).
        var (line, targetNotReached) = Enumerable.Reverse(attempts).Select(RecoveryLogVerdict.Judge).FirstOrDefault(v => v.Line is not null);
        var cause = targetNotReached ? FailureCause.TargetNotReached : FailureCause.RestoreFailed;
        var message = $"restored cluster {Name} {reason}" + (line is null ? "" : $"; recovery log: {line}");
        return new DrillFailure(cause, message, evidence.ToString());
    }

    /// <summary>
    /// The containers whose logs tell the recovery's story: the recovery container, then the pod's other containers
    /// and its native sidecars (init containers with restartPolicy Always: the Barman Cloud Plugin injects its
    /// plugin-barman-cloud sidecar so). Named, because the API server asks for a name when a pod has several.
    /// </summary>
    private static IEnumerable<string?> Containers(k8s.Models.V1Pod pod)
    {
        var names = (pod.Spec?.Containers ?? []).Select(c => c.Name)
            .Concat((pod.Spec?.InitContainers ?? []).Where(c => c.RestartPolicy == "Always").Select(c => c.Name)).ToList();
        if (names.Count == 0) return [null];
        return names.OrderBy(n => n == CnpgResources.FullRecoveryContainer ? 0 : 1);
    }

    /// <summary>The full-recovery Job's pods, one per attempt, oldest first.</summary>
    private async Task<IReadOnlyList<k8s.Models.V1Pod>> RecoveryPodsAsync(CancellationToken ct) =>
        (await _api.ListPodsAsync($"{CnpgResources.ClusterLabel}={Name}", ct))
        .Where(p => p.Metadata.Name.StartsWith(CnpgResources.FullRecoveryPodPrefix(Name), StringComparison.Ordinal))
        .OrderBy(p => p.Metadata.CreationTimestamp ?? DateTime.MaxValue)
        .ToList();

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        CleanupProblem = await CnpgCleanup.DeleteClusterAsync(_api, Name, _settings.DeleteTimeout, _settings.PollInterval);
        _progress(CleanupProblem is null ? $"deleted cluster {Name} and its PVCs" : $"warning: {CleanupProblem}");
    }
}
