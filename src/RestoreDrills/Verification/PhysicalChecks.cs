using Dapper;
using Npgsql;

namespace RestoreDrills.Verification;

/// <summary>
/// The restored server's storage, read back in full: every heap (tables, materialized views, TOAST) through
/// amcheck's verify_heapam, and every valid B-tree index through bt_index_check with heapallindexed (every heap
/// tuple must be found in the index). Both read every block through the buffer manager, so a page that fails its
/// checksum surfaces as XX001 for that relation. The pg_amcheck checks, run over SQL so they need no shell in
/// the server's container; CREATE EXTENSION amcheck is the only write, on the throwaway restored copy.
/// </summary>
public static class PhysicalChecks
{
    private const string Relations = """
        SELECT c.oid::bigint, format('%I.%I', n.nspname, c.relname), c.relkind = 'i'
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_am am ON am.oid = c.relam
        LEFT JOIN pg_index i ON i.indexrelid = c.oid
        WHERE c.relpersistence <> 't' AND (c.relkind IN ('r', 'm', 't') OR (c.relkind = 'i' AND am.amname = 'btree' AND i.indisvalid AND i.indisready))
        ORDER BY c.relkind = 'i', c.oid
        """;

    public static async Task<PhysicalCheckResult> RunAsync(NpgsqlConnection restored, CancellationToken ct)
    {
        await restored.ExecuteAsync(new CommandDefinition("CREATE EXTENSION IF NOT EXISTS amcheck", cancellationToken: ct));
        var relations = (await restored.QueryAsync<(long Oid, string Name, bool IsIndex)>(new CommandDefinition(Relations, cancellationToken: ct))).ToList();
        var findings = new List<string>();
        foreach (var (oid, name, isIndex) in relations)
        {
            try
            {
                if (isIndex)
                    await restored.ExecuteAsync(new CommandDefinition("SELECT bt_index_check(@oid::oid::regclass, true)", new { oid }, cancellationToken: ct, commandTimeout: 0));
                else
                    findings.AddRange((await restored.QueryAsync<(long Block, int? Offset, string Message)>(new CommandDefinition(
                            "SELECT blkno, offnum, msg FROM verify_heapam(@oid::oid::regclass, on_error_stop := false, check_toast := true)",
                            new { oid }, cancellationToken: ct, commandTimeout: 0)))
                        .Select(f => $"{name} block {f.Block}{(f.Offset is { } o ? $" offset {o}" : "")}: {f.Message}"));
            }
            catch (PostgresException e)
            {
                findings.Add($"{name}: {e.SqlState} {e.MessageText}");
            }
        }
        return new PhysicalCheckResult(relations.Count(r => !r.IsIndex), relations.Count(r => r.IsIndex), findings);
    }
}
