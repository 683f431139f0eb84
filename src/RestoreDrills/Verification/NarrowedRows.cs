using System.Text.Json;
using Dapper;
using Npgsql;
using RestoreDrills.Configuration;

namespace RestoreDrills.Verification;

/// <summary>
/// The last step of the bisection: a narrowed segment's rows fetched from both sides (a few hundred at most)
/// and compared by primary key, column by column. Values are compared in their jsonb text form, which keeps
/// what matters (NULL vs "", numeric scale, timestamp precision, jsonb content).
/// </summary>
public static class NarrowedRows
{
    public static async Task<IReadOnlyList<TableRowDifference>> CompareAsync(
        NpgsqlConnection expected, NpgsqlConnection restored, string table, PrimaryKey key, KeySegment segment, CancellationToken ct)
    {
        var sql = $"SELECT {key.KeyJson}, to_jsonb(t)::text FROM ONLY {table} t WHERE {segment.Predicate}";
        var command = new CommandDefinition(sql, cancellationToken: ct, commandTimeout: SettingsTable.VerificationQuery.DefaultWholeSeconds);
        var sides = await Task.WhenAll(
            SideReadException.OnAsync("source at the target", expected.QueryAsync<(string Key, string Row)>(command)),
            SideReadException.OnAsync("restored server", restored.QueryAsync<(string Key, string Row)>(command)));
        var before = sides[0].ToDictionary(r => r.Key, r => r.Row, StringComparer.Ordinal);
        var after = sides[1].ToDictionary(r => r.Key, r => r.Row, StringComparer.Ordinal);

        var differences = new List<TableRowDifference>();
        foreach (var (k, row) in before)
        {
            if (!after.TryGetValue(k, out var restoredRow))
                differences.Add(new(table, DifferenceKind.Missing, k, [], row, null));
            else if (row != restoredRow)
                differences.Add(Changed(table, k, row, restoredRow));
        }
        differences.AddRange(after.Where(r => !before.ContainsKey(r.Key))
            .Select(r => new TableRowDifference(table, DifferenceKind.Extra, r.Key, [], null, r.Value)));
        return differences;
    }

    /// <summary>A changed row: the columns whose values differ, with only those values on each side.</summary>
    public static TableRowDifference Changed(string table, string key, string expectedRow, string restoredRow)
    {
        using var e = JsonDocument.Parse(expectedRow);
        using var r = JsonDocument.Parse(restoredRow);
        var expectedColumns = e.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
        var restoredColumns = r.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
        var changed = expectedColumns.Keys.Union(restoredColumns.Keys)
            .Where(c => expectedColumns.GetValueOrDefault(c) != restoredColumns.GetValueOrDefault(c)).ToList();
        string Values(Dictionary<string, string> columns) =>
            "{" + string.Join(", ", changed.Select(c => $"{JsonSerializer.Serialize(c)}: {columns.GetValueOrDefault(c) ?? "(no such column)"}")) + "}";
        return new TableRowDifference(table, DifferenceKind.Changed, key, changed, Values(expectedColumns), Values(restoredColumns));
    }
}
