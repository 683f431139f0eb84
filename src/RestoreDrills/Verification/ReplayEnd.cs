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
        var line = history.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                       .LastOrDefault(l => !l.StartsWith('#'))
                   ?? throw new FormatException($"{file} has no timeline line");
        var fields = line.Split(['\t', ' '], 3, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2 || !uint.TryParse(fields[0], out var timeline))
            throw new FormatException($"{file}: '{line}' is not 'parent timeline, switch point, reason'");
        return new ReplayEnd(timeline, WalPosition.Parse(fields[1]));
    }

    /// <summary>The last segment replay read a record from: the one holding the byte before the switch point.</summary>
    public WalSegmentName LastSegment(long segmentSize) => WalSegmentName.Containing(Timeline, Position.Value - 1, segmentSize);

    public override string ToString() => $"{Position} on timeline {Timeline}";
}
