using Npgsql;

namespace RestoreDrills.Tests.Support;

/// <summary>
/// A wide table of generated rows (text, numeric, jsonb, timestamps), written on the source by SQL alone so a
/// million rows cost no round trips. Deterministic: row g holds values derived from g only.
/// </summary>
public static class WideTable
{
    public static string CreateSql(string table, int rows, bool primaryKey = true) => $"""
        CREATE TABLE {table} (
            id bigint {(primaryKey ? "PRIMARY KEY" : "NOT NULL")},
            label text,
            amount numeric(14, 2),
            doc jsonb,
            happened_at timestamp,
            recorded_at timestamptz,
            note text
        );
        INSERT INTO {table}
        SELECT g, 'label ' || g || ' ' || md5(g::text), round((g * 1.37)::numeric, 2),
               jsonb_build_object('n', g, 'tags', jsonb_build_array('a', 'b', g % 7), 'hex', md5((g * 3)::text)),
               timestamp '2026-01-01 00:00:00' + g * interval '1 second',
               timestamptz '2026-01-01 00:00:00+00' + g * interval '1.5 seconds',
               CASE WHEN g % 10 = 0 THEN NULL ELSE 'note ' || (g % 97) END
        FROM generate_series(1, {rows}) g;
        """;

    public static async Task CreateAsync(NpgsqlConnection db, string table, int rows, CancellationToken ct, bool primaryKey = true)
    {
        await using var cmd = new NpgsqlCommand(CreateSql(table, rows, primaryKey), db) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
