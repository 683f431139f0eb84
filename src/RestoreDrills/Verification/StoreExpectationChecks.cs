using Dapper;
using Npgsql;
using RestoreDrills.Configuration;
using RestoreDrills.Failures;

namespace RestoreDrills.Verification;

/// <summary>
/// Checks of a restored copy that need no source: each table, count and predicate is asked of the restored
/// server itself, in a read-only transaction, so nothing is loaded into the test process but the answers.
/// </summary>
public static class StoreExpectationChecks
{
    public static async Task<IReadOnlyList<CheckResult>> EvaluateAsync(NpgsqlConnection db, StoreExpectations expected, CancellationToken ct)
    {
        await using var tx = await db.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await db.ExecuteAsync("SET TRANSACTION READ ONLY", transaction: tx);
        var tables = expected.Tables.Concat(expected.MinimumRows.Keys).Concat(expected.RowsMatching.Select(p => p.Table))
            .Append("backup_test").Distinct().ToList();
        var resolved = new Dictionary<string, string?>();
        foreach (var table in tables)
            resolved[table] = await db.ExecuteScalarAsync<string?>("SELECT to_regclass(@table)::text", new { table }, tx);

        var checks = new List<CheckResult>();
        if (expected.Tables.Count > 0) checks.Add(TablesExist(expected.Tables, resolved));
        foreach (var (table, minimum) in expected.MinimumRows)
            checks.Add(await MinimumRowsAsync(db, tx, table, minimum, resolved[table]));
        if (expected.CanonicalRows.Count > 0) checks.Add(await CanonicalRowsAsync(db, tx, expected.CanonicalRows, resolved["backup_test"]));
        foreach (var predicate in expected.RowsMatching)
            checks.Add(await RowsMatchingAsync(db, tx, predicate, resolved[predicate.Table]));
        return checks;
    }

    private static CheckResult TablesExist(IReadOnlyList<string> tables, IReadOnlyDictionary<string, string?> resolved)
    {
        var missing = tables.Where(t => resolved[t] is null).ToList();
        return missing.Count == 0
            ? CheckResult.Pass(CheckKind.Integrity, "required tables exist", string.Join(", ", tables))
            : CheckResult.Fail(CheckKind.Integrity, "required tables exist", $"table(s) missing from the restored database: {string.Join(", ", missing)}");
    }

    private static async Task<CheckResult> MinimumRowsAsync(NpgsqlConnection db, NpgsqlTransaction tx, string table, long minimum, string? relation)
    {
        var name = $"{table} has at least {minimum} rows";
        if (relation is null) return CheckResult.Fail(CheckKind.Integrity, name, $"table {table} does not exist");
        var count = await db.ExecuteScalarAsync<long>($"SELECT count(*) FROM {relation}", transaction: tx);
        return count >= minimum ? CheckResult.Pass(CheckKind.Integrity, name, $"{count} rows") : CheckResult.Fail(CheckKind.Integrity, name, $"{table} has {count} rows, fewer than {minimum}");
    }

    private static async Task<CheckResult> CanonicalRowsAsync(NpgsqlConnection db, NpgsqlTransaction tx, IReadOnlyList<string> canonical, string? relation)
    {
        const string name = "the runbook's canonical rows are in backup_test";
        if (relation is null) return CheckResult.Fail(CheckKind.Integrity, name, "table backup_test does not exist");
        var present = (await db.QueryAsync<string>($"SELECT DISTINCT name FROM {relation} WHERE name = ANY(@names)",
            new { names = canonical.ToArray() }, tx)).ToHashSet();
        var missing = canonical.Where(n => !present.Contains(n)).ToList();
        return missing.Count == 0
            ? CheckResult.Pass(CheckKind.Integrity, name, string.Join(", ", canonical))
            : CheckResult.Fail(CheckKind.Integrity, name, $"canonical row(s) missing from backup_test: {string.Join(", ", missing)}");
    }

    private static async Task<CheckResult> RowsMatchingAsync(NpgsqlConnection db, NpgsqlTransaction tx, RowPredicate predicate, string? relation)
    {
        var name = $"a row of {predicate}";
        if (relation is null) return CheckResult.Fail(CheckKind.Integrity, name, $"table {predicate.Table} does not exist");
        try
        {
            var count = await db.ExecuteScalarAsync<long>($"SELECT count(*) FROM {relation} WHERE ({predicate.Condition})", transaction: tx);
            return count > 0 ? CheckResult.Pass(CheckKind.Integrity, name, $"{count} matching rows") : CheckResult.Fail(CheckKind.Integrity, name, $"no row of {predicate.Table} matches {predicate.Condition}");
        }
        catch (PostgresException e)
        {
            throw new InvalidSettingException($"RESTOREDRILLS_EXPECT_ROWS_MATCHING '{predicate}' is not valid SQL on the restored database: {e.MessageText}");
        }
    }
}
