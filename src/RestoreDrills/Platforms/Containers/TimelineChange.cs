namespace RestoreDrills.Platforms.Containers;

/// <summary>How a source came to write on a new timeline, each the way it happens to a CNPG cluster.</summary>
public enum TimelineChangeKind
{
    /// <summary>A standby promoted after the primary stopped: a rolling update, or a failover.</summary>
    Switchover,

    /// <summary>The primary lost, a server restored from the store to its end promoted in its place, archiving on.</summary>
    RestoreFromArchive,
}

/// <summary>One change of a source's timeline: how, the timeline its old primary wrote, the one its new primary writes, and how long it took.</summary>
public sealed record TimelineChange(TimelineChangeKind Kind, int FromTimeline, int ToTimeline, TimeSpan Took)
{
    public override string ToString() =>
        $"{(Kind == TimelineChangeKind.Switchover ? "switchover" : "restore from the archive")}: timeline {FromTimeline} -> {ToTimeline} ({Took.TotalSeconds:0.0} s)";
}
