using Npgsql;

namespace RestoreDrills.Verification;

/// <summary>
/// Compares one table on both sides, each side's query running in its own database at the same time.
/// Tables with a primary key: one pass per side summarises the table in 64 key segments; equal summaries end it.
/// Differing segments are split again (data-diff's bisection) until a segment holds at most
/// <see cref="FetchThreshold"/> rows, and only those rows are fetched and compared. Without a primary key: one
/// fingerprint, and on a mismatch the multiset comparison.
/// </summary>
public static class TableComparison
{
    /// <summary>Rows per side at which a segment is fetched instead of split (a fetch this size costs about what a split does).</summary>
    public const int FetchThreshold = 256;

    /// <summary>Differing rows reported per table: beyond this the restore is plainly wrong and listing more costs memory.</summary>
    public const int MaxReportedDifferences = 1000;

    private const string Source = "source at the target";
    private const string Restored = "restored server";

    public static async Task<TableVerification> CompareAsync(DatabaseSide expectedSide, DatabaseSide restoredSide, string table, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await using var expected = await expectedSide.OpenAsync(ct);
        await using var restored = await restoredSide.OpenAsync(ct);

        PrimaryKey? key;
        try
        {
            key = await PrimaryKey.ReadAsync(expected, table);
        }
        catch (PostgresException e)
        {
            return Unreadable(table, "-", $"not found on the source at the target: {e.SqlState} {e.MessageText}", watch.Elapsed);
        }
        var hash = await RowHash.ForTableAsync(expected, table);
        if (key is null) return await WithoutKeyAsync(expected, restored, table, hash, watch, ct);

        KeySegment root;
        try
        {
            root = await RootSegmentAsync(expected, restored, table, key, ct);
        }
        catch (SideReadException e)
        {
            return Unreadable(table, "primary key bisection", $"cannot be read on the {e.Side}: {e.Message}", watch.Elapsed);
        }
        var method = (root is IntegerKeyRange ? "primary key ranges" : "primary key hash buckets") + ", " + hash.Name;
        try
        {
            var top = await SummariesAsync(expected, restored, table, hash, root, ct);
            var e = SegmentSummary.Combine(top.Expected.Values);
            var r = SegmentSummary.Combine(top.Restored.Values);
            var differences = new List<TableRowDifference>();
            var note = "";
            if (e != r)
                note = await BisectAsync(expected, restored, table, key, hash, root, top, differences, ct);
            return new TableVerification(table, method, e.Rows, r.Rows, e.Fingerprint, r.Fingerprint, differences, note, null, watch.Elapsed);
        }
        catch (SideReadException e)
        {
            return Unreadable(table, method, $"cannot be read on the {e.Side}: {e.Message}", watch.Elapsed);
        }
        catch (PostgresException e)
        {
            return Unreadable(table, method, $"cannot be read: {e.SqlState} {e.MessageText}", watch.Elapsed);
        }
    }

    /// <summary>Integer keys: the key range both sides span (two index lookups each). Other keys: the hash buckets' root.</summary>
    private static async Task<KeySegment> RootSegmentAsync(NpgsqlConnection expected, NpgsqlConnection restored, string table, PrimaryKey key, CancellationToken ct)
    {
        if (!key.IsSingleInteger) return new KeyHashBucket(key.KeyJson, 0, 0);
        var column = key.Columns[0];
        var sql = $"SELECT min({column})::bigint, max({column})::bigint FROM ONLY {table}";
        var bounds = await Task.WhenAll(
            SideReadException.OnAsync(Source, Dapper.SqlMapper.QuerySingleAsync<(long? Min, long? Max)>(expected, new Dapper.CommandDefinition(sql, cancellationToken: ct))),
            SideReadException.OnAsync(Restored, Dapper.SqlMapper.QuerySingleAsync<(long? Min, long? Max)>(restored, new Dapper.CommandDefinition(sql, cancellationToken: ct))));
        var low = bounds.Select(b => b.Min).Where(m => m is not null).DefaultIfEmpty(0).Min() ?? 0;
        var high = bounds.Select(b => b.Max).Where(m => m is not null).DefaultIfEmpty(0).Max() ?? 0;
        return new IntegerKeyRange(column, low, high + 1);
    }

    private sealed record Summaries(IReadOnlyDictionary<long, SegmentSummary> Expected, IReadOnlyDictionary<long, SegmentSummary> Restored);

    private static async Task<Summaries> SummariesAsync(NpgsqlConnection expected, NpgsqlConnection restored, string table, RowHash hash, KeySegment segment, CancellationToken ct)
    {
        var sides = await Task.WhenAll(
            SideReadException.OnAsync(Source, SegmentSummary.BySubSegmentAsync(expected, table, hash, segment, ct)),
            SideReadException.OnAsync(Restored, SegmentSummary.BySubSegmentAsync(restored, table, hash, segment, ct)));
        return new Summaries(sides[0], sides[1]);
    }

    /// <summary>Breadth-first over differing segments; bounded by the number of differences reported.</summary>
    private static async Task<string> BisectAsync(NpgsqlConnection expected, NpgsqlConnection restored, string table, PrimaryKey key,
        RowHash hash, KeySegment root, Summaries top, List<TableRowDifference> differences, CancellationToken ct)
    {
        var pending = new Queue<(KeySegment Segment, Summaries Parts)>();
        pending.Enqueue((root, top));
        var unexplained = 0;
        while (pending.TryDequeue(out var item))
        {
            foreach (var index in item.Parts.Expected.Keys.Union(item.Parts.Restored.Keys).Order())
            {
                var e = item.Parts.Expected.GetValueOrDefault(index, SegmentSummary.Empty);
                var r = item.Parts.Restored.GetValueOrDefault(index, SegmentSummary.Empty);
                if (e == r) continue;
                if (differences.Count >= MaxReportedDifferences)
                    return $"more than {MaxReportedDifferences} differing rows: the first {MaxReportedDifferences} are listed";
                var segment = item.Segment.SubSegment(index);
                if (Math.Max(e.Rows, r.Rows) > FetchThreshold && segment.CanSplit)
                {
                    pending.Enqueue((segment, await SummariesAsync(expected, restored, table, hash, segment, ct)));
                    continue;
                }
                var found = await NarrowedRows.CompareAsync(expected, restored, table, key, segment, ct);
                if (found.Count == 0) unexplained++;
                differences.AddRange(found.Take(MaxReportedDifferences - differences.Count));
            }
        }
        return unexplained == 0 ? "" : $"{unexplained} segment(s) differ in their text form only (no value differs as jsonb)";
    }

    private static async Task<TableVerification> WithoutKeyAsync(NpgsqlConnection expected, NpgsqlConnection restored, string table,
        RowHash hash, System.Diagnostics.Stopwatch watch, CancellationToken ct)
    {
        var method = "multiset (no primary key), " + hash.Name;
        try
        {
            var sides = await Task.WhenAll(
                SideReadException.OnAsync(Source, SegmentSummary.OfTableAsync(expected, table, hash, ct)),
                SideReadException.OnAsync(Restored, SegmentSummary.OfTableAsync(restored, table, hash, ct)));
            var differences = sides[0] == sides[1] ? [] : await MultisetComparison.CompareAsync(expected, restored, table, MaxReportedDifferences, ct);
            return new TableVerification(table, method, sides[0].Rows, sides[1].Rows, sides[0].Fingerprint, sides[1].Fingerprint,
                differences, MultisetComparison.Note, null, watch.Elapsed);
        }
        catch (SideReadException e)
        {
            return Unreadable(table, method, $"cannot be read on the {e.Side}: {e.Message}", watch.Elapsed);
        }
        catch (PostgresException e)
        {
            return Unreadable(table, method, $"cannot be read: {e.SqlState} {e.MessageText}", watch.Elapsed);
        }
    }

    private static TableVerification Unreadable(string table, string method, string error, TimeSpan duration) =>
        new(table, method, 0, 0, "", "", [], "", error, duration);
}
