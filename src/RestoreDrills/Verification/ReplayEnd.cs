using RestoreDrills.Backups;
using RestoreDrills.Inventory;

namespace RestoreDrills.Verification;

/// <summary>
/// Where WAL replay ended: the timeline it replayed and the position the promoted timeline forked at. PostgreSQL writes
/// both at promotion as the last line of the new timeline's history file ("1	0/5000110	no recovery target specified").
/// </summary>
public sealed record ReplayEnd(uint Timeline, WalPosition Position)
{
    public static ReplayEnd FromHistory(string history, string file)
    {
        var fork = TimelineFork.Parse(file, history);
        return new ReplayEnd(fork.Parent, fork.ForkPoint);
    }

    /// <summary>The last segment replay read a record from: the one holding the byte before the switch point.</summary>
    public WalSegmentName LastSegment(long segmentSize) => WalSegmentName.Containing(Timeline, Position.Value - 1, segmentSize);

    public override string ToString() => $"{Position} on timeline {Timeline}";
}
