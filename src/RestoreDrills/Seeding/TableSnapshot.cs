using Dapper;
using Npgsql;

namespace RestoreDrills.Seeding;

/// <summary>Every row of backup_test at one moment, keyed by id: the expected state at a target, or the restored state.</summary>
public sealed class TableSnapshot
{
    private TableSnapshot(IReadOnlyDictionary<int, BackupTestRow> rows) => Rows = rows;

    public IReadOnlyDictionary<int, BackupTestRow> Rows { get; }

    public static TableSnapshot Of(IEnumerable<BackupTestRow> rows) => new(rows.ToDictionary(r => r.Id));

    public static async Task<TableSnapshot> ReadAsync(NpgsqlConnection db) =>
        Of(await db.QueryAsync<BackupTestRow>("SELECT id AS Id, name AS Name, created_at AS CreatedAt FROM backup_test ORDER BY id"));
}
