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
    /// <summary>Through a port-forward a connection takes a tunnel's set-up more than a direct one.</summary>
    public const int ConnectTimeoutSeconds = 15;
    /// <summary>A count(*) or amcheck over a large restored table takes longer than Npgsql's 30 s default: not a dead server.</summary>
    public const int CommandTimeoutSeconds = 3600;

    public async Task<Npgsql.NpgsqlConnection> OpenAsync(CnpgConnection connection, CancellationToken ct)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connection.ConnectionString) { Pooling = false, Timeout = ConnectTimeoutSeconds, CommandTimeout = CommandTimeoutSeconds };
        var db = new Npgsql.NpgsqlConnection(builder.ConnectionString);
        try
        {
            await db.OpenAsync(ct);
            return db;
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }
}
