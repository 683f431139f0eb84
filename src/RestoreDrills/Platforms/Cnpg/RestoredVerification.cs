using RestoreDrills.Verification;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// Checks run on the restored cluster while it exists, beyond those every CNPG drill runs: e.g. the containers
/// drills' row checks, when the drill knows what the source held at the target.
/// </summary>
public delegate Task<IReadOnlyList<CheckResult>> RestoredVerification(RestoredAccess restored, CancellationToken ct);

/// <summary>
/// How the drill reaches a ready restored cluster: as the application user (the data's owner) and as the superuser,
/// both through the same endpoint (a port-forward to the primary, or the service from inside the cluster).
/// </summary>
public sealed record RestoredAccess(string ClusterName, CnpgConnection Data, CnpgConnection Superuser)
{
    public Task<Npgsql.NpgsqlConnection> OpenAsync(CnpgConnection connection, CancellationToken ct) => connection.OpenAsync(ct);
}
