using Dapper;
using Npgsql;

namespace RestoreDrills.KubernetesDouble;

/// <summary>
/// A database laid out as CloudNative-PG's initdb bootstrap leaves it: the application role (LOGIN) owns the
/// database and the data's tables, so the app secret of a restored cluster can read them.
/// </summary>
public static class ApplicationOwnership
{
    public static async Task GiveToAsync(NpgsqlConnection db, string owner, params string[] tables)
    {
        var role = SqlIdentifier.Quote(owner);
        if (await db.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_roles WHERE rolname = @owner", new { owner }) == 0)
            await db.ExecuteAsync($"CREATE ROLE {role} LOGIN");
        await db.ExecuteAsync($"ALTER DATABASE {SqlIdentifier.Quote(db.Database)} OWNER TO {role}");
        foreach (var table in tables) await db.ExecuteAsync($"ALTER TABLE {SqlIdentifier.Quote(table)} OWNER TO {role}"); // its sequences follow
    }
}
