namespace RestoreDrills.Inventory;

/// <summary>
/// How a restore of one backup to latest goes through the store, segment by segment, as recovery reads it: the timeline
/// it follows (<see cref="StoreInventory.LatestTimeline"/>), the segments it reads (each from the newest expected timeline
/// that holds it, as XLogFileReadAnyTLI chooses), where it ends, and the store's segments it never reads.
/// </summary>
/// <param name="Timeline">The timeline recovery_target_timeline = latest ends on.</param>
/// <param name="Read">The segments read, in order, as runs per timeline.</param>
/// <param name="End">The last segment read; null when not even the backup's first segment is there.</param>
/// <param name="Unread">Segments of the store past <see cref="End"/>, or of a timeline the history does not lead to: WAL the restore misses.</param>
/// <param name="Skipped">Segments of an expected timeline, not past the end, that recovery skips: a parent's WAL after its fork.</param>
/// <param name="NotAChild">Set when the followed timeline's history does not contain the backup's timeline: PostgreSQL refuses it.</param>
public sealed record LatestReplayPath(uint Timeline, IReadOnlyList<WalRun> Read, WalSegmentName? End,
    IReadOnlyList<WalSegmentName> Unread, IReadOnlyList<WalSegmentName> Skipped, string? NotAChild)
{
    /// <summary>Consecutive segments of one timeline as runs ("timeline 2: A..B found (4 segment(s))").</summary>
    public static IReadOnlyList<WalRun> Runs(IEnumerable<WalSegmentName> segments, long segmentSize)
    {
        var runs = new List<WalRun>();
        foreach (var s in segments.OrderBy(s => s.Timeline).ThenBy(s => s.Ordinal(segmentSize)))
        {
            if (runs.Count > 0 && runs[^1].Last.Timeline == s.Timeline && runs[^1].Last.Next(segmentSize) == s)
                runs[^1] = runs[^1] with { Last = s, Count = runs[^1].Count + 1 };
            else runs.Add(new WalRun(s, s, true, 1));
        }
        return runs;
    }

    /// <summary>The runs as one line: "timeline 2: A..B (4 segment(s)); timeline 3: C..C (1 segment(s))".</summary>
    public static string Describe(IEnumerable<WalSegmentName> segments, long segmentSize) => Describe(Runs(segments, segmentSize));

    public static string Describe(IEnumerable<WalRun> runs) =>
        string.Join("; ", runs.Select(r => $"timeline {r.First.Timeline}: {r.First}..{r.Last} ({r.Count} segment(s))"));
}
