using Dapper;
using Npgsql;

namespace RestoreDrills.Verification;

/// <summary>
/// One side of a comparison (the source at the target, or the restored copy): opens connections whose session
/// settings give every value the same text form on both sides, so a row's hash depends only on its values.
/// With a snapshot id, every connection reads the exported snapshot: the source as it was at the target.
/// </summary>
public sealed class DatabaseSide(string name, Func<CancellationToken, Task<NpgsqlConnection>> connect, string? snapshotId = null)
{
    // enable_sort = off: the planner cannot know a sub-segment expression has at most 64 values and would sort the
    // whole table to group it; 64 groups are what hash aggregation is for. Queries with no other plan still sort.
    private const string SameTextForms =
        "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 3; SET bytea_output = 'hex'; SET enable_sort = off";

    public string Name => name;

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var db = await connect(ct);
        try
        {
            await db.ExecuteAsync(new CommandDefinition(SameTextForms, cancellationToken: ct));
            if (snapshotId is not null)
                await db.ExecuteAsync(new CommandDefinition(
                    $"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '{snapshotId.Replace("'", "''")}'", cancellationToken: ct));
            return db;
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }
}
