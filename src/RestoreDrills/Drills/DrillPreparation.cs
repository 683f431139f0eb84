using RestoreDrills.Platforms.Containers;
using RestoreDrills.RecoveryTargets;
using RestoreDrills.Seeding;

namespace RestoreDrills.Drills;

/// <summary>
/// What the source side of a drill produced: the backup it took, the target, the source's state at the target
/// (the expectation), the markers before it and the changes after it; after timeline changes, the row written on each new timeline.
/// </summary>
public sealed record DrillPreparation(
    RecoveryTarget Target,
    DateTimeOffset TargetClock,
    BackupRun Backup,
    TableSnapshot Expected,
    PreTargetMarkers Markers,
    PostTargetChanges Changes,
    TimeSpan WalArchiveLag)
{
    public IReadOnlyList<int> RowsAfterTimelineChanges { get; init; } = [];
}
