namespace RestoreDrills.Inventory;

/// <summary>A run of consecutive WAL segments on one timeline, all found or all missing.</summary>
public sealed record WalRun(WalSegmentName First, WalSegmentName Last, bool Found, long Count)
{
    public override string ToString() => $"timeline {First.Timeline}: {First}..{Last} {(Found ? "found" : "MISSING")} ({Count} segment(s))";
}
