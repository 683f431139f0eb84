using System.Globalization;

namespace RestoreDrills.Verification;

/// <summary>
/// Rows whose key hash has the given low bits: the bisection for keys that are not one integer (text, uuid,
/// composite). A row lands in the same bucket on both sides because the bucket depends on its key alone;
/// each level takes 6 more bits of the hash. Deeper levels scan the table (no key range to seek), which only
/// happens after a mismatch.
/// </summary>
public sealed record KeyHashBucket(string KeyText, int Depth, long Prefix) : KeySegment
{
    private const int BitsPerLevel = 6; // 2^6 = FanOut
    private const int MaxDepth = 10;

    private string Hash => $"hashtextextended({KeyText}, 1)";
    private long Mask => (1L << (BitsPerLevel * Depth)) - 1;

    public override string Predicate =>
        Depth == 0 ? "true" : string.Create(CultureInfo.InvariantCulture, $"({Hash} & {Mask}) = {Prefix}");

    public override string SubSegmentExpression =>
        string.Create(CultureInfo.InvariantCulture, $"(({Hash} >> {BitsPerLevel * Depth}) & {FanOut - 1})");

    public override KeySegment SubSegment(long index) =>
        this with { Depth = Depth + 1, Prefix = Prefix | (index << (BitsPerLevel * Depth)) };

    public override bool CanSplit => Depth < MaxDepth;

    public override string Describe() => Depth == 0 ? "whole table" : $"key hash bucket {Prefix} (level {Depth})";
}
