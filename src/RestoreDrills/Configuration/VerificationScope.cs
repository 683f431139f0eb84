using Dapper;
using Npgsql;
using RestoreDrills.Configuration;
using RestoreDrills.Failures;

namespace RestoreDrills.Configuration;

/// <summary>
/// Which tables the verification engine compares (RESTOREDRILLS_VERIFY_TABLES): backup_test by default,
/// "all" user tables as the source's catalog lists them at the target, or a comma-separated list of names.
/// </summary>
public sealed record VerificationScope
{
    public const string AllKeyword = "all";

    private VerificationScope(bool all, IReadOnlyList<string> names)
    {
        All = all;
        Names = names;
    }

    public bool All { get; }
    public IReadOnlyList<string> Names { get; }

    public static VerificationScope Default { get; } = new(false, ["backup_test"]);
    public static VerificationScope AllTables { get; } = new(true, []);
    public static VerificationScope Of(params string[] names) => new(false, names);

    public static VerificationScope Parse(string? raw)
    {
        if (raw is null) return Default;
        if (raw.Trim().Equals(AllKeyword, StringComparison.OrdinalIgnoreCase)) return AllTables;
        var names = raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0 || names.Any(n => n.Any(char.IsWhiteSpace)))
            throw new InvalidSettingException($"RESTOREDRILLS_VERIFY_TABLES='{raw}' is not 'all' or a comma-separated list of table names: set it to e.g. backup_test or all.");
        return new(false, names);
    }

    /// <summary>
    /// The tables as quoted, schema-qualified names, read on the expected side (the source at the target).
    /// A listed name the source does not know is kept as given: the comparison then reports it as unreadable.
    /// </summary>
    public async Task<IReadOnlyList<string>> ResolveAsync(NpgsqlConnection expected)
    {
        if (All)
            return (await expected.QueryAsync<string>(
                """
                SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
                ORDER BY 1
                """)).ToList();
        var resolved = new List<string>();
        foreach (var name in Names)
            resolved.Add(await expected.ExecuteScalarAsync<string?>(
                "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(@name)",
                new { name }) ?? name);
        return resolved;
    }

    public override string ToString() => All ? AllKeyword : string.Join(",", Names);
}
