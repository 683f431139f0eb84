using System.Globalization;
using System.Numerics;
using Dapper;
using Npgsql;
using RestoreDrills.Configuration;

namespace RestoreDrills.Verification;

/// <summary>
/// Count and order-independent fingerprint of a set of rows: sum and bit_xor of each row's 64-bit hash
/// (<see cref="RowHash"/>), computed in the database. Equal rows give equal summaries in any
/// order; the sum (exact numeric) and the xor fail differently, so one changed row cannot cancel out in both.
/// </summary>
public sealed record SegmentSummary(long Rows, string Sum, long Xor)
{
    public static SegmentSummary Empty { get; } = new(0, "0", 0);

    /// <summary>
    /// An optimisation fence: a flattened subquery's h is computed once for each aggregate that reads it (sum and
    /// bit_xor: every row hashed twice, measured 1.46 s against 1.00 s for a million wide rows). It also keeps the
    /// summary in one process: both sides already run at once, and parallel workers only add partial aggregation.
    /// </summary>
    private const string HashOnce = "OFFSET 0";

    /// <summary>One pass over a segment's rows: the summary of each of its sub-segments, by sub-segment index.</summary>
    public static async Task<IReadOnlyDictionary<long, SegmentSummary>> BySubSegmentAsync(
        NpgsqlConnection db, string table, RowHash hash, KeySegment segment, CancellationToken ct)
    {
        var sql = $"""
            SELECT b, count(*), coalesce(sum(h), 0)::text, coalesce(bit_xor(h), 0)
            FROM (SELECT {segment.SubSegmentExpression} AS b, {hash.Expression} AS h FROM ONLY {table} t WHERE {segment.Predicate} {HashOnce}) r
            GROUP BY b
            """;
        var rows = await db.QueryAsync<(long Bucket, long Rows, string Sum, long Xor)>(new CommandDefinition(sql, cancellationToken: ct, commandTimeout: SettingsTable.VerificationQuery.DefaultWholeSeconds));
        return rows.ToDictionary(r => r.Bucket, r => new SegmentSummary(r.Rows, r.Sum, r.Xor));
    }

    /// <summary>The whole table in one summary (tables without a primary key).</summary>
    public static async Task<SegmentSummary> OfTableAsync(NpgsqlConnection db, string table, RowHash hash, CancellationToken ct)
    {
        var sql = $"SELECT count(*), coalesce(sum(h), 0)::text, coalesce(bit_xor(h), 0) FROM (SELECT {hash.Expression} AS h FROM ONLY {table} t {HashOnce}) r";
        var row = await db.QuerySingleAsync<(long Rows, string Sum, long Xor)>(new CommandDefinition(sql, cancellationToken: ct, commandTimeout: SettingsTable.VerificationQuery.DefaultWholeSeconds));
        return new SegmentSummary(row.Rows, row.Sum, row.Xor);
    }

    /// <summary>Summaries of disjoint parts combined (sums add, xors xor).</summary>
    public static SegmentSummary Combine(IEnumerable<SegmentSummary> parts) =>
        parts.Aggregate(Empty, (a, b) => new SegmentSummary(a.Rows + b.Rows,
            (BigInteger.Parse(a.Sum, CultureInfo.InvariantCulture) + BigInteger.Parse(b.Sum, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture),
            a.Xor ^ b.Xor));

    public string Fingerprint => $"{Sum}/{Xor:x16}";
}
