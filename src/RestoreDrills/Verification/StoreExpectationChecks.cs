using Dapper;
using Npgsql;
using RestoreDrills.Configuration;

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
        var checks = new List<CheckResult>();

        var tables = expected.Tables.Concat(expected.MinimumRows.Keys).Concat(expected.RowsMatching.Select(p => p.Table))
            .Append("backup_test").Distinct().ToList();
        var resolved = new Dictionary<string, string?>();
        foreach (var table in tables)
            resolved[table] = await db.ExecuteScalarAsync<string?>("SELECT to_regclass(@table)::text", new { table }, tx);

        if (expected.Tables.Count > 0)
        {
            var missing = expected.Tables.Where(t => resolved[t] is null).ToList();
            checks.Add(missing.Count == 0
                ? CheckResult.Pass(CheckKind.Integrity, "required tables exist", string.Join(", ", expected.Tables))
                : CheckResult.Fail(CheckKind.Integrity, "required tables exist", $"table(s) missing from the restored database: {string.Join(", ", missing)}"));
        }

        foreach (var (table, minimum) in expected.MinimumRows)
        {
            var name = $"{table} has at least {minimum} rows";
            if (resolved[table] is not { } relation) { checks.Add(CheckResult.Fail(CheckKind.Integrity, name, $"table {table} does not exist")); continue; }
            var count = await db.ExecuteScalarAsync<long>($"SELECT count(*) FROM {relation}", transaction: tx);
            checks.Add(count >= minimum ? CheckResult.Pass(CheckKind.Integrity, name, $"{count} rows") : CheckResult.Fail(CheckKind.Integrity, name, $"{table} has {count} rows, fewer than {minimum}"));
        }

        if (expected.CanonicalRows.Count > 0)
        {
            const string name = "the runbook's canonical rows are in backup_test";
            if (resolved["backup_test"] is not { } relation)
                checks.Add(CheckResult.Fail(CheckKind.Integrity, name, "table backup_test does not exist"));
            else
            {
                var present = (await db.QueryAsync<string>($"SELECT DISTINCT name FROM {relation} WHERE name = ANY(@names)",
                    new { names = expected.CanonicalRows.ToArray() }, tx)).ToHashSet();
                var missing = expected.CanonicalRows.Where(n => !present.Contains(n)).ToList();
                checks.Add(missing.Count == 0
                    ? CheckResult.Pass(CheckKind.Integrity, name, string.Join(", ", expected.CanonicalRows))
                    : CheckResult.Fail(CheckKind.Integrity, name, $"canonical row(s) missing from backup_test: {string.Join(", ", missing)}"));
            }
        }

        foreach (var predicate in expected.RowsMatching)
        {
            var name = $"a row of {predicate}";
            if (resolved[predicate.Table] is not { } relation) { checks.Add(CheckResult.Fail(CheckKind.Integrity, name, $"table {predicate.Table} does not exist")); continue; }
            try
            {
                var count = await db.ExecuteScalarAsync<long>($"SELECT count(*) FROM {relation} WHERE ({predicate.Condition})", transaction: tx);
                checks.Add(count > 0 ? CheckResult.Pass(CheckKind.Integrity, name, $"{count} matching rows") : CheckResult.Fail(CheckKind.Integrity, name, $"no row of {predicate.Table} matches {predicate.Condition}"));
            }
            catch (PostgresException e)
            {
                throw new InvalidSettingException($"RESTOREDRILLS_EXPECT_ROWS_MATCHING '{predicate}' is not valid SQL on the restored database: {e.MessageText}");
            }
        }
        return checks;
    }
}
