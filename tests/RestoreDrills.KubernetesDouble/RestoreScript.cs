namespace RestoreDrills.KubernetesDouble;

/// <summary>
/// How the double's "operator" treats a Cluster the drill creates: the statuses it reports on successive reads
/// (the last one stays), the full-recovery job pod's phase and log, whether it makes the secrets, and the real
/// PostgreSQL its primary pod forwards to (none: a port-forward finds nothing listening).
/// </summary>
public sealed record RestoreScript
{
    public required IReadOnlyList<System.Text.Json.Nodes.JsonObject> ClusterStatuses { get; init; }
    public string RecoveryPodPhase { get; init; } = "Succeeded";
    public string RecoveryLog { get; init; } = DoubleStatuses.RecoveryLogReachedTarget;
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
}
