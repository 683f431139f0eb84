using Npgsql;

namespace RestoreDrills.KubernetesDouble;

/// <summary>
/// What CloudNative-PG's instance manager does to a restored primary before the Cluster turns ready
/// (ConfigureInstanceAfterRestore → ConfigureNewInstance in pkg/management/postgres): the application owner is
/// created LOGIN when missing, the application database is created (empty, owned by it) when the backup has none,
/// and the owner's password becomes the one in the app secret (the role reconciler).
/// </summary>
public static class RestoredInstanceSetup
{
    public static async Task ApplyAsync(PostgresEndpoint server, string database, string owner, string ownerPassword, CancellationToken ct)
    {
        await using var db = new NpgsqlConnection(server.ConnectionString("postgres"));
        await db.OpenAsync(ct);
        var quotedOwner = SqlIdentifier.Quote(owner);
        if (!await ExistsAsync(db, "SELECT count(*) FROM pg_catalog.pg_roles WHERE rolname = $1", owner, ct))
            await ExecuteAsync(db, $"CREATE ROLE {quotedOwner} LOGIN", ct);
        if (!await ExistsAsync(db, "SELECT count(*) FROM pg_catalog.pg_database WHERE datname = $1", database, ct))
            await ExecuteAsync(db, $"CREATE DATABASE {SqlIdentifier.Quote(database)} OWNER {quotedOwner}", ct);
        await using var password = new NpgsqlCommand($"ALTER ROLE {quotedOwner} LOGIN PASSWORD '{ownerPassword.Replace("'", "''", StringComparison.Ordinal)}'", db);
        await password.ExecuteNonQueryAsync(ct);
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection db, string sql, string name, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, db) { Parameters = { new() { Value = name } } };
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static async Task ExecuteAsync(NpgsqlConnection db, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, db);
        await command.ExecuteNonQueryAsync(ct);
    }
}
