using Dapper;
using Npgsql;
using RestoreDrills.Configuration;

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
    /// <summary>Connections the relations are spread over, largest first (pg_amcheck --jobs does the same).</summary>
    public const int DefaultConnections = 2;

    private const string Relations = """
        SELECT c.oid::bigint, format('%I.%I', n.nspname, c.relname), c.relkind = 'i'
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_am am ON am.oid = c.relam
        LEFT JOIN pg_index i ON i.indexrelid = c.oid
        WHERE c.relpersistence <> 't' AND (c.relkind IN ('r', 'm', 't') OR (c.relkind = 'i' AND am.amname = 'btree' AND i.indisvalid AND i.indisready))
        ORDER BY c.relkind = 'i', c.oid
        """;

    private sealed record Relation(int Order, long Oid, string Name, bool IsIndex, long Pages);

    /// <param name="open">A connection allowed to read every relation (amcheck needs a superuser); one per worker.</param>
    public static async Task<PhysicalCheckResult> RunAsync(Func<CancellationToken, Task<NpgsqlConnection>> open, CancellationToken ct,
        int connections = DefaultConnections)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        List<Relation> relations;
        await using (var db = await open(ct))
        {
            await db.ExecuteAsync(new CommandDefinition("CREATE EXTENSION IF NOT EXISTS amcheck", cancellationToken: ct));
            relations = (await db.QueryAsync<(long Oid, string Name, bool IsIndex)>(new CommandDefinition(Relations, cancellationToken: ct)))
                .Select((r, i) => new Relation(i, r.Oid, r.Name, r.IsIndex, 0)).ToList();
            var pages = (await db.QueryAsync<(long Oid, long Pages)>(new CommandDefinition(
                "SELECT oid::bigint, pg_relation_size(oid) / current_setting('block_size')::bigint FROM pg_class WHERE oid = ANY(@oids::oid[])",
                new { oids = relations.Select(r => r.Oid).ToArray() }, cancellationToken: ct))).ToDictionary(p => p.Oid, p => p.Pages);
            relations = relations.Select(r => r with { Pages = pages.GetValueOrDefault(r.Oid) }).ToList();
        }
        // Largest first, so the last relation a worker takes is a small one and the workers end together.
        var queue = new System.Collections.Concurrent.ConcurrentQueue<Relation>(relations.OrderByDescending(r => r.Pages));
        var findings = new IReadOnlyList<string>[relations.Count];
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, Math.Min(connections, relations.Count))).Select(async _ =>
        {
            // A connection of its own: a corrupt page can leave one unusable.
            await using var db = await open(ct);
            while (queue.TryDequeue(out var relation)) findings[relation.Order] = await CheckAsync(db, relation, ct);
        }));
        return new PhysicalCheckResult(relations.Count(r => !r.IsIndex), relations.Count(r => r.IsIndex),
            findings.SelectMany(f => f ?? []).ToList(), watch.Elapsed);
    }

    private static async Task<IReadOnlyList<string>> CheckAsync(NpgsqlConnection db, Relation relation, CancellationToken ct)
    {
        try
        {
            if (relation.IsIndex)
            {
                await db.ExecuteAsync(new CommandDefinition("SELECT bt_index_check(@oid::oid::regclass, true)", new { oid = relation.Oid }, cancellationToken: ct, commandTimeout: SettingsTable.VerificationQuery.DefaultWholeSeconds));
                return [];
            }
            return (await db.QueryAsync<(long Block, int? Offset, string Message)>(new CommandDefinition(
                    "SELECT blkno, offnum, msg FROM verify_heapam(@oid::oid::regclass, on_error_stop := false, check_toast := true)",
                    new { oid = relation.Oid }, cancellationToken: ct, commandTimeout: SettingsTable.VerificationQuery.DefaultWholeSeconds)))
                .Select(f => $"{relation.Name} block {f.Block}{(f.Offset is { } o ? $" offset {o}" : "")}: {f.Message}").ToList();
        }
        catch (PostgresException e)
        {
            return [$"{relation.Name}: {e.SqlState} {e.MessageText}"];
        }
    }
}
