namespace RestoreDrills.Platforms.Containers;

/// <summary>One switchover of a source: the timeline its old primary wrote, the one the promoted standby writes, and how long it took.</summary>
public sealed record Switchover(int FromTimeline, int ToTimeline, TimeSpan Took)
{
    public override string ToString() => $"timeline {FromTimeline} -> {ToTimeline} ({Took.TotalSeconds:0.0} s)";
}
