namespace RestoreDrills.Verification;

/// <summary>
/// A part of a table's rows chosen by primary key, the unit of the bisection: both sides' rows in a segment
/// are summarised (count and fingerprint) per sub-segment in one pass, and only differing sub-segments go on.
/// </summary>
public abstract record KeySegment
{
    /// <summary>Sub-segments one pass splits a segment into (data-diff's bisection factor; 64 groups cost nothing in a hash aggregate).</summary>
    public const int FanOut = 64;

    /// <summary>SQL condition on row alias t selecting the segment's rows ("true" for the whole table).</summary>
    public abstract string Predicate { get; }

    /// <summary>SQL expression on row alias t giving the sub-segment (0 .. FanOut-1) a row of this segment falls in.</summary>
    public abstract string SubSegmentExpression { get; }

    public abstract KeySegment SubSegment(long index);

    /// <summary>False when the segment cannot be split further: its rows are fetched whatever their number.</summary>
    public abstract bool CanSplit { get; }

    public abstract string Describe();
}
