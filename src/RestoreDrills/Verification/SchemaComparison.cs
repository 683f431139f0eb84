using Dapper;
using Npgsql;

namespace RestoreDrills.Verification;

/// <summary>
/// The user schema on both sides, as sets of named definitions: columns and types, constraints, indexes (with
/// validity), compared name by name; and each sequence's last value against the one recorded at the target.
/// </summary>
public static class SchemaComparison
{
    /// <summary>User sequences and their last values (read at the target on the source: sequences are not transactional).</summary>
    public const string SequencesSql =
        "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1";

    private const string UserRelations = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'";

    private static readonly (string Kind, string Sql)[] Definitions =
    [
        ("column", $"""
            SELECT format('%I.%I.%I', n.nspname, c.relname, a.attname),
                   format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
                   || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped AND {UserRelations}
            """),
        ("constraint", $"""
            SELECT format('%I.%I.%I', n.nspname, c.relname, k.conname), pg_get_constraintdef(k.oid)
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {UserRelations}
            """),
        ("index", $"""
            SELECT format('%I.%I', n.nspname, c.relname), pg_get_indexdef(c.oid) || CASE WHEN i.indisvalid THEN '' ELSE ' (INVALID)' END
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {UserRelations}
            """),
    ];

    /// <summary>Every difference, one line each ("index public.t_pkey missing on the restored server: ...").</summary>
    public static async Task<IReadOnlyList<string>> CompareAsync(
        NpgsqlConnection expected, NpgsqlConnection restored, IReadOnlyDictionary<string, long?> sequencesAtTarget, CancellationToken ct)
    {
        var differences = new List<string>();
        foreach (var (kind, sql) in Definitions)
        {
            var command = new CommandDefinition(sql, cancellationToken: ct);
            var sides = await Task.WhenAll(expected.QueryAsync<(string Name, string Definition)>(command), restored.QueryAsync<(string Name, string Definition)>(command));
            differences.AddRange(Differences(kind, sides[0].ToDictionary(x => x.Name, x => x.Definition), sides[1].ToDictionary(x => x.Name, x => x.Definition)));
        }
        var restoredSequences = (await restored.QueryAsync<(string Name, long? LastValue)>(new CommandDefinition(SequencesSql, cancellationToken: ct)))
            .ToDictionary(s => s.Name, s => s.LastValue);
        differences.AddRange(SequenceDifferences(sequencesAtTarget, restoredSequences));
        return differences;
    }

    public static IEnumerable<string> Differences(string kind, IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, string> restored)
    {
        foreach (var (name, definition) in expected.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            if (!restored.TryGetValue(name, out var actual)) yield return $"{kind} {name} missing on the restored server: {definition}";
            else if (actual != definition) yield return $"{kind} {name} differs: source at the target '{definition}', restored '{actual}'";
        }
        foreach (var (name, definition) in restored.Where(x => !expected.ContainsKey(x.Key)).OrderBy(x => x.Key, StringComparer.Ordinal))
            yield return $"{kind} {name} only on the restored server: {definition}";
    }

    /// <summary>
    /// A restored sequence must not be behind the source at the target, or new rows would reuse keys. It may be
    /// ahead: PostgreSQL WAL-logs sequences up to 32 values in advance, and a restore replays that.
    /// </summary>
    public static IEnumerable<string> SequenceDifferences(IReadOnlyDictionary<string, long?> atTarget, IReadOnlyDictionary<string, long?> restored)
    {
        foreach (var (name, expected) in atTarget.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            if (!restored.TryGetValue(name, out var actual)) yield return $"sequence {name} missing on the restored server";
            else if (expected is { } e && (actual is null || actual < e))
                yield return $"sequence {name} behind: last_value {(actual is null ? "never used" : actual)} on the restored server, {e} on the source at the target";
        }
        foreach (var name in restored.Keys.Where(n => !atTarget.ContainsKey(n)).Order(StringComparer.Ordinal))
            yield return $"sequence {name} only on the restored server";
    }
}
