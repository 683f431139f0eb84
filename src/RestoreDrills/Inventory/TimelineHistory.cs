namespace RestoreDrills.Inventory;

/// <summary>
/// A timeline's whole history, as recovery reads it (timeline.c, readTimeLineHistory): every ancestor with the point
/// where the next timeline begins. Recovery that targets <see cref="Timeline"/> expects exactly these timelines, and
/// reads a segment from one of them only at or after the segment where that timeline begins.
/// </summary>
public sealed record TimelineHistory(uint Timeline, IReadOnlyList<TimelineFork> Forks)
{
    /// <summary>A timeline no history file describes: the first, or one whose history file is not in the store.</summary>
    public static TimelineHistory Root(uint timeline) => new(timeline, []);

    /// <summary>Every line of a history file, oldest ancestor first; the file's name gives its own timeline.</summary>
    public static TimelineHistory Parse(string file, string text)
    {
        var timeline = TimelineFork.TimelineOf(file);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('#')).ToList();
        if (lines.Count == 0) throw new FormatException($"{file}: no timeline line");
        // Each line ends its parent; the timeline that begins there is the next line's parent, or the file's own for the last.
        var parents = lines.Select(l => TimelineFork.ParseLine(file, l, timeline).Parent).ToList();
        var forks = lines.Select((l, i) => TimelineFork.ParseLine(file, l, i + 1 < lines.Count ? parents[i + 1] : timeline)).ToList();
        return new TimelineHistory(timeline, forks);
    }

    /// <summary>The timelines recovery expects, newest first, each with the LSN it begins at (0 for the oldest).</summary>
    public IReadOnlyList<(uint Timeline, ulong Begin)> NewestFirst() =>
    [
        .. Forks.Select(f => (f.Timeline, f.ForkPoint.Value)).Reverse(),
        (Forks.Count == 0 ? Timeline : Forks[0].Parent, 0UL),
    ];

    public bool Contains(uint timeline) => NewestFirst().Any(t => t.Timeline == timeline);
}
