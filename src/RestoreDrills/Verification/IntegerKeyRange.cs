using System.Globalization;

namespace RestoreDrills.Verification;

/// <summary>
/// Rows whose single integer key lies in [Low, High): sub-segments are equal key ranges, so each deeper pass is an
/// index range scan over the narrowed range only.
/// </summary>
public sealed record IntegerKeyRange(string Column, long Low, long High) : KeySegment
{
    private long Width => Math.Max(1, (long)Math.Ceiling((double)(High - Low) / FanOut));

    public override string Predicate =>
        string.Create(CultureInfo.InvariantCulture, $"t.{Column} >= {Low} AND t.{Column} < {High}");

    public override string SubSegmentExpression =>
        string.Create(CultureInfo.InvariantCulture, $"((t.{Column})::bigint - {Low}) / {Width}");

    public override KeySegment SubSegment(long index)
    {
        var low = Low + index * Width;
        return this with { Low = low, High = Math.Min(High, low + Width) };
    }

    public override bool CanSplit => High - Low > 1;

    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Column} in [{Low}, {High})");
}
