namespace RestoreDrills.Verification;

/// <summary>
/// Whole-database verification of a restore: every table in scope compared row by row with the source at the
/// target (in the databases, both sides at once; only narrowed segments travel), the schema compared, and the
/// restored server's storage read back in full with amcheck. Tables go one after another: each comparison
/// already keeps one core per side busy.
/// </summary>
public sealed class VerificationEngine(DatabaseSide expected, DatabaseSide restored, IReadOnlyDictionary<string, long?> sequencesAtTarget)
{
    public async Task<VerificationReport> RunAsync(VerificationScope scope, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<string> tables;
        await using (var source = await expected.OpenAsync(ct))
            tables = await scope.ResolveAsync(source);

        var results = new List<TableVerification>();
        foreach (var table in tables)
            results.Add(await TableComparison.CompareAsync(expected, restored, table, ct));

        IReadOnlyList<string> schema;
        PhysicalCheckResult physical;
        await using (var source = await expected.OpenAsync(ct))
        await using (var copy = await restored.OpenAsync(ct))
        {
            schema = await SchemaComparison.CompareAsync(source, copy, sequencesAtTarget, ct);
            physical = await PhysicalChecks.RunAsync(copy, ct);
        }
        return new VerificationReport(scope, results, schema, physical, watch.Elapsed);
    }
}
