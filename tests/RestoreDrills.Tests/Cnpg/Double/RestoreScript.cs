namespace RestoreDrills.Tests.Cnpg.Double;

/// <summary>
/// How the double's "operator" treats a Cluster the drill creates: the statuses it reports on successive reads
/// (the last one stays), the full-recovery job pod's phase and log, and whether it makes the &lt;cluster&gt;-app secret.
/// </summary>
public sealed record RestoreScript
{
    public required IReadOnlyList<System.Text.Json.Nodes.JsonObject> ClusterStatuses { get; init; }
    public string RecoveryPodPhase { get; init; } = "Succeeded";
    public string RecoveryLog { get; init; } = DoubleStatuses.RecoveryLogReachedTarget;
    public bool MakesAppSecret { get; init; } = true;
    /// <summary>PVCs the operator makes for the cluster (label cnpg.io/cluster).</summary>
    public int PersistentVolumeClaims { get; init; } = 1;
    /// <summary>What the app secret says: the double can point it at a real PostgreSQL.</summary>
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 5432;
    public string Database { get; init; } = "app";
    public string Username { get; init; } = "app";
    public string Password { get; init; } = "pw-" + Guid.NewGuid().ToString("N");

    /// <summary>Setting up, then ready: the restore CNPG does when all goes well.</summary>
    public static RestoreScript BecomesReady() => new()
    {
        ClusterStatuses = [DoubleStatuses.Cluster("Setting up primary", ready: false), DoubleStatuses.Cluster("Setting up primary", ready: false), DoubleStatuses.Healthy()],
    };

    /// <summary>Stays in "Setting up primary" (e.g. "Expected empty archive", a recovery that never ends).</summary>
    public static RestoreScript NeverReady(string log = DoubleStatuses.RecoveryLogExpectedEmptyArchive) => new()
    {
        ClusterStatuses = [DoubleStatuses.Cluster("Setting up primary", ready: false)],
        RecoveryPodPhase = "Running",
        RecoveryLog = log,
    };
}
