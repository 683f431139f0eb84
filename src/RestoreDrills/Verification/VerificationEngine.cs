using RestoreDrills.Configuration;

namespace RestoreDrills.Verification;

/// <summary>
/// Whole-database verification of a restore: every table in scope compared row by row with the source at the
/// target (in the databases, both sides at once; only narrowed segments travel), the schema compared, and the
/// restored server's storage read back in full with amcheck. The physical checks run beside the comparison, on
/// connections of their own: the comparison keeps one backend per side busy, and a 2-core machine would
/// otherwise idle a core whenever one side waits for the other. Tables go one after another.
/// </summary>
public sealed class VerificationEngine(DatabaseSide expected, DatabaseSide restored, IReadOnlyDictionary<string, long?> sequencesAtTarget)
{
    public async Task<VerificationReport> RunAsync(VerificationScope scope, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var physical = PhysicalChecks.RunAsync(restored.OpenAsync, stop.Token);
        try
        {
            var (tables, schema) = await CompareAsync(scope, ct);
            return new VerificationReport(scope, tables, schema, await physical, watch.Elapsed);
        }
        catch
        {
            // Never leave the physical checks running on a failed or cancelled verification.
            await stop.CancelAsync();
            try { await physical; } catch (Exception) { /* the first failure is the one reported */ }
            throw;
        }
    }

    private async Task<(IReadOnlyList<TableVerification> Tables, IReadOnlyList<string> Schema)> CompareAsync(VerificationScope scope, CancellationToken ct)
    {
        IReadOnlyList<string> names;
        await using (var source = await expected.OpenAsync(ct))
            names = await scope.ResolveAsync(source);
        var tables = new List<TableVerification>();
        foreach (var table in names)
            tables.Add(await TableComparison.CompareAsync(expected, restored, table, ct));
        await using var sourceDb = await expected.OpenAsync(ct);
        await using var copy = await restored.OpenAsync(ct);
        return (tables, await SchemaComparison.CompareAsync(sourceDb, copy, sequencesAtTarget, ct));
    }
}
