
namespace RestoreDrills.KubernetesDouble;

/// <summary>
/// How the double's "operator" treats a Cluster the drill creates: the statuses it reports on successive reads
/// (the last one stays), the full-recovery Job's attempts (each a pod, with its phase and log), whether it makes the
/// secrets, and the real PostgreSQL its primary pod forwards to (none: a port-forward finds nothing listening).
/// </summary>
public sealed record RestoreScript
{
    /// <summary>Kubernetes' default backoffLimit, which applies: CloudNative-PG sets none on its recovery Job (pkg/specs/jobs.go).</summary>
    public const int DefaultBackoffLimit = 6;

    public required IReadOnlyList<System.Text.Json.Nodes.JsonObject> ClusterStatuses { get; init; }
    /// <summary>The phase the attempt that does not fail ends in (Running: it never ends).</summary>
    public string RecoveryPodPhase { get; init; } = "Succeeded";
    public string RecoveryLog { get; init; } = DoubleStatuses.RecoveryLogReachedTarget;
    /// <summary>
    /// Attempts of the full-recovery Job that fail before one does not, one per read of the Cluster; more than
    /// <see cref="BackoffLimit"/> and the Job fails (condition Failed, reason BackoffLimitExceeded).
    /// </summary>
    public int FailedAttempts { get; init; }
    /// <summary>The log of a failed attempt; the <see cref="RecoveryLog"/> when not set.</summary>
    public string? FailedAttemptLog { get; init; }
    public int BackoffLimit { get; init; } = DefaultBackoffLimit;
    /// <summary>The log of the Barman Cloud Plugin's sidecar, injected into the recovery pod when the Cluster restores through the plugin.</summary>
    public string SidecarLog { get; init; } = DoubleStatuses.SidecarLogRestoreStarted;
    public bool MakesAppSecret { get; init; } = true;
    /// <summary>PVCs the operator makes for the cluster (label cnpg.io/cluster, owned by the Cluster).</summary>
    public int PersistentVolumeClaims { get; init; } = 1;
    /// <summary>The restored server behind the primary pod, configured as CNPG configures it (owner, database, password).</summary>
    public PostgresEndpoint? Server { get; init; }
    /// <summary>The application owner's password the operator generates (and puts in the app secret).</summary>
    public string Password { get; init; } = "pw-" + Guid.NewGuid().ToString("N");

    /// <summary>Setting up, then ready: the restore CNPG does when all goes well.</summary>
    public static RestoreScript BecomesReady(PostgresEndpoint? server = null) => new()
    {
        ClusterStatuses = [DoubleStatuses.Cluster("Setting up primary", ready: false), DoubleStatuses.Cluster("Setting up primary", ready: false), DoubleStatuses.Healthy()],
        Server = server,
    };

    /// <summary>Stays in "Setting up primary" (e.g. "Expected empty archive", a recovery that never ends).</summary>
    public static RestoreScript NeverReady(string log = DoubleStatuses.RecoveryLogExpectedEmptyArchive) => new()
    {
        ClusterStatuses = [DoubleStatuses.Cluster("Setting up primary", ready: false)],
        RecoveryPodPhase = "Running",
        RecoveryLog = log,
    };

    /// <summary>Every attempt of the recovery Job fails with this log, until the Job has failed; the Cluster never gets ready.</summary>
    public static RestoreScript EveryAttemptFails(string log) => NeverReady(log) with { FailedAttempts = int.MaxValue };
}
