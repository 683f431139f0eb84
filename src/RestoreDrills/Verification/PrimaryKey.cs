using Dapper;
using Npgsql;

namespace RestoreDrills.Verification;

/// <summary>A table's primary key as the source defines it at the target: quoted column names, and whether it is one integer column.</summary>
public sealed record PrimaryKey(IReadOnlyList<string> Columns, bool IsSingleInteger)
{
    /// <summary>The key columns as SQL: "id" or "a", "b".</summary>
    public string ColumnList => string.Join(", ", Columns);

    /// <summary>The key of row alias t as a JSON array text, the same on both sides (e.g. [42]).</summary>
    public string KeyJson => $"jsonb_build_array({string.Join(", ", Columns.Select(c => "t." + c))})::text";

    public static async Task<PrimaryKey?> ReadAsync(NpgsqlConnection db, string table)
    {
        var columns = (await db.QueryAsync<(string Name, string Type)>(
            """
            SELECT quote_ident(a.attname), format_type(a.atttypid, NULL)
            FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = @table::regclass AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)
            """, new { table })).ToList();
        if (columns.Count == 0) return null;
        var integer = columns is [{ Type: "smallint" or "integer" or "bigint" }];
        return new PrimaryKey(columns.Select(c => c.Name).ToList(), integer);
    }
}
