using Dapper;
using Npgsql;
using RestoreDrills.Configuration;

namespace RestoreDrills.Verification;

/// <summary>
/// Tables without a primary key have no row identity: their rows are compared as multisets, by the count of each
/// distinct row hash. Both sides stream their (hash, count) pairs in hash order and are merged on the fly, so
/// memory stays flat; then the rows behind the differing hashes (bounded) are fetched. A changed row shows as one
/// missing and one extra row.
/// </summary>
public static class MultisetComparison
{
    public const string Note = "no primary key: compared as a multiset of whole rows (a changed row shows as one missing and one extra)";

    public static async Task<IReadOnlyList<TableRowDifference>> CompareAsync(
        NpgsqlConnection expected, NpgsqlConnection restored, string table, int limit, CancellationToken ct)
    {
        var sql = $"SELECT hashtextextended(t::text, 0) AS h, count(*) FROM ONLY {table} t GROUP BY 1 ORDER BY 1";
        await using var left = new NpgsqlCommand(sql, expected) { CommandTimeout = SettingsTable.VerificationQuery.DefaultWholeSeconds };
        await using var right = new NpgsqlCommand(sql, restored) { CommandTimeout = SettingsTable.VerificationQuery.DefaultWholeSeconds };
        var opened = await Task.WhenAll(
            SideReadException.OnAsync("source at the target", left.ExecuteReaderAsync(ct)),
            SideReadException.OnAsync("restored server", right.ExecuteReaderAsync(ct)));
        await using var l = opened[0];
        await using var r = opened[1];

        var surplus = new Dictionary<long, long>(); // hash -> restored count minus expected count
        var hasL = await l.ReadAsync(ct);
        var hasR = await r.ReadAsync(ct);
        while ((hasL || hasR) && surplus.Count < limit)
        {
            var hl = hasL ? l.GetInt64(0) : long.MaxValue;
            var hr = hasR ? r.GetInt64(0) : long.MaxValue;
            if (hasL && (!hasR || hl < hr)) { surplus[hl] = -l.GetInt64(1); hasL = await l.ReadAsync(ct); }
            else if (hasR && (!hasL || hr < hl)) { surplus[hr] = r.GetInt64(1); hasR = await r.ReadAsync(ct); }
            else
            {
                var delta = r.GetInt64(1) - l.GetInt64(1);
                if (delta != 0) surplus[hl] = delta;
                hasL = await l.ReadAsync(ct);
                hasR = await r.ReadAsync(ct);
            }
        }
        await l.DisposeAsync();
        await r.DisposeAsync();
        if (surplus.Count == 0) return [];

        var rowsSql = $"SELECT DISTINCT ON (h) h, j FROM (SELECT hashtextextended(t::text, 0) AS h, to_jsonb(t)::text AS j FROM ONLY {table} t) s WHERE h = ANY(@hashes) ORDER BY h";
        var hashes = surplus.Keys.ToArray();
        var missing = hashes.Where(h => surplus[h] < 0).ToArray();
        var extra = hashes.Where(h => surplus[h] > 0).ToArray();
        var expectedRows = (await expected.QueryAsync<(long H, string Row)>(new CommandDefinition(rowsSql, new { hashes = missing }, cancellationToken: ct, commandTimeout: SettingsTable.VerificationQuery.DefaultWholeSeconds))).ToDictionary(x => x.H, x => x.Row);
        var restoredRows = (await restored.QueryAsync<(long H, string Row)>(new CommandDefinition(rowsSql, new { hashes = extra }, cancellationToken: ct, commandTimeout: SettingsTable.VerificationQuery.DefaultWholeSeconds))).ToDictionary(x => x.H, x => x.Row);
        return hashes.Select(h => surplus[h] < 0
                ? new TableRowDifference(table, DifferenceKind.Missing, $"row hash {h} x{-surplus[h]}", [], expectedRows.GetValueOrDefault(h), null)
                : new TableRowDifference(table, DifferenceKind.Extra, $"row hash {h} x{surplus[h]}", [], null, restoredRows.GetValueOrDefault(h)))
            .ToList();
    }
}
