using System.Globalization;
using System.Text;
using RestoreDrills.Backups;
using RestoreDrills.Drills;
using RestoreDrills.RecoveryTargets;

namespace RestoreDrills.Inventory;

/// <summary>
/// What a barman-cloud store holds for one server, read with list and read rights only: base backups (from their
/// backup.info), WAL segments per timeline and where they have gaps (found / missing, as WAL-G's wal-verify
/// reports), history files, and the recoverability window. It flags what would fail a restore before one starts.
/// </summary>
public sealed class StoreInventory
{
    private StoreInventory(string location, IReadOnlyList<InventoryBackup> backups, IReadOnlyList<WalRun> walRuns,
        IReadOnlyList<string> historyFiles, IReadOnlyList<string> unreadable)
    {
        Location = location;
        Backups = backups;
        WalRuns = walRuns;
        HistoryFiles = historyFiles;
        Unreadable = unreadable;
    }

    public string Location { get; }
    public IReadOnlyList<InventoryBackup> Backups { get; }
    public IReadOnlyList<WalRun> WalRuns { get; }
    public IReadOnlyList<string> HistoryFiles { get; }

    /// <summary>backup.info files that could not be parsed: listed, never silently dropped.</summary>
    public IReadOnlyList<string> Unreadable { get; }

    /// <summary>The earliest point a restore can reach: the end of the oldest restorable backup.</summary>
    public DateTimeOffset? FirstRecoverabilityPoint =>
        Backups.Where(b => b.Restorable).Select(b => (DateTimeOffset?)b.Info.Backup.EndTime).Min();

    /// <summary>The last point: the newest segment reachable without a gap from a restorable backup, and when it was archived.</summary>
    public (WalSegmentName Segment, DateTimeOffset ArchivedAt)? LastRecoverabilityPoint =>
        Backups.Where(b => b.Restorable && b.Reach is not null)
            .Select(b => (Segment: b.Reach!.Value, ArchivedAt: b.ReachArchivedAt!.Value))
            .OrderBy(p => p.ArchivedAt).Select(p => ((WalSegmentName, DateTimeOffset)?)p).LastOrDefault();

    /// <param name="objects">every blob under the server's folder, named relative to it</param>
    /// <param name="infos">the parsed backup.info of each backup, by backup id (null: present but unreadable)</param>
    public static StoreInventory Analyse(string location, IReadOnlyList<StoreObject> objects, IReadOnlyDictionary<string, BackupInfo?> infos)
    {
        var segmentSize = infos.Values.FirstOrDefault(i => i is not null)?.SegmentSize ?? WalSegmentName.DefaultSegmentSize;
        var wal = new Dictionary<uint, SortedDictionary<long, StoreObject>>();
        var history = new List<string>();
        foreach (var o in objects.Where(o => o.Name.StartsWith("wals/", StringComparison.Ordinal)))
        {
            var file = Path.GetFileName(o.Name);
            var stem = file.Split('.')[0];
            if (file.Contains(".history", StringComparison.Ordinal)) history.Add(file);
            else if (!file.Contains(".backup", StringComparison.Ordinal) && !file.Contains(".partial", StringComparison.Ordinal)
                     && WalSegmentName.TryParse(stem, out var segment))
            {
                if (!wal.TryGetValue(segment.Timeline, out var timeline)) wal[segment.Timeline] = timeline = [];
                timeline[segment.Ordinal(segmentSize)] = o;
            }
        }

        var backups = infos.Where(i => i.Value is not null).Select(i => Describe(i.Value!, objects, wal, segmentSize))
            .OrderBy(b => b.Info.Backup.BeginTime).ToList();
        var runs = wal.OrderBy(t => t.Key).SelectMany(t => Runs(t.Key, t.Value, backups, segmentSize)).ToList();
        return new StoreInventory(location, backups, runs, history.Order().ToList(),
            infos.Where(i => i.Value is null).Select(i => i.Key).Order().ToList());
    }

    private static InventoryBackup Describe(BackupInfo info, IReadOnlyList<StoreObject> objects,
        Dictionary<uint, SortedDictionary<long, StoreObject>> wal, long segmentSize)
    {
        var b = info.Backup;
        var data = objects.Where(o => o.Name.StartsWith($"base/{b.BackupId}/", StringComparison.Ordinal)
                                      && Path.GetFileName(o.Name).Contains(".tar", StringComparison.Ordinal)).ToList();
        if (b.Status != "DONE" || !WalSegmentName.TryParse(b.BeginWal, out var begin) || !WalSegmentName.TryParse(b.EndWal, out var end))
            return new InventoryBackup(info, data, [], null, null, null, 0);

        var segments = wal.GetValueOrDefault((uint)b.Timeline) ?? [];
        var (first, last) = (begin.Ordinal(segmentSize), end.Ordinal(segmentSize));
        var missing = new List<WalSegmentName>();
        for (var n = first; n <= last; n++)
            if (!segments.ContainsKey(n)) missing.Add(WalSegmentName.FromOrdinal((uint)b.Timeline, n, segmentSize));
        if (missing.Count > 0) return new InventoryBackup(info, data, missing, null, null, null, 0);

        var reach = last;
        while (segments.ContainsKey(reach + 1)) reach++;
        var beyond = segments.Keys.Count(k => k > reach + 1);
        return new InventoryBackup(info, data, [],
            WalSegmentName.FromOrdinal((uint)b.Timeline, reach, segmentSize), segments[reach].LastModified,
            beyond > 0 ? WalSegmentName.FromOrdinal((uint)b.Timeline, reach + 1, segmentSize) : null, beyond);
    }

    /// <summary>Found and missing runs of segments on one timeline, from the oldest backup's begin to the newest segment.</summary>
    private static IEnumerable<WalRun> Runs(uint timeline, SortedDictionary<long, StoreObject> segments, List<InventoryBackup> backups, long segmentSize)
    {
        var starts = backups.Where(b => b.Info.Backup.Timeline == timeline && WalSegmentName.TryParse(b.Info.Backup.BeginWal, out _))
            .Select(b => WalSegmentName.Parse(b.Info.Backup.BeginWal).Ordinal(segmentSize)).ToList();
        var from = starts.Count > 0 ? Math.Min(starts.Min(), segments.Keys.First()) : segments.Keys.First();
        var to = segments.Keys.Last();
        long runStart = from;
        var found = segments.ContainsKey(from);
        for (var n = from + 1; n <= to + 1; n++)
        {
            var present = n <= to && segments.ContainsKey(n);
            if (n <= to && present == found) continue;
            yield return new WalRun(WalSegmentName.FromOrdinal(timeline, runStart, segmentSize),
                WalSegmentName.FromOrdinal(timeline, n - 1, segmentSize), found, n - runStart);
            (runStart, found) = (n, present);
        }
    }

    /// <summary>Why a restore from <paramref name="backup"/> to <paramref name="target"/> would fail, or be short of the archive.</summary>
    public IReadOnlyList<InventoryFinding> Check(InventoryBackup backup, RecoveryTarget target)
    {
        var b = backup.Info.Backup;
        var findings = new List<InventoryFinding>();
        if (b.Status != "DONE")
            findings.Add(new(FailureCause.BackupFailed, $"base backup {b.BackupId} is {b.Status}{(backup.Info.Error is { } e ? $": {e}" : "")}", true));
        if (!backup.HasDataArchive)
            findings.Add(new(FailureCause.BackupFailed,
                $"base backup {b.BackupId} has no data.tar archive under base/{b.BackupId}/ (it holds: {Names(backup.DataArchives, "backup.info only")})", true));
        if (backup.MissingToConsistency.Count > 0)
            findings.Add(new(FailureCause.WalArchivingFailed,
                $"WAL needed to make base backup {b.BackupId} consistent is missing: {Segments(backup.MissingToConsistency)}", true));
        if (backup.FirstGap is { } gap)
        {
            var blocks = target.Kind switch
            {
                RecoveryTargetKind.Latest => true,
                RecoveryTargetKind.Lsn => WalSegmentName.Containing(gap.Timeline, WalPosition.Parse(target.Value).Value, backup.Info.SegmentSize)
                                              .Ordinal(backup.Info.SegmentSize) >= gap.Ordinal(backup.Info.SegmentSize),
                // A segment archived at A holds nothing later than A: a target after it lies beyond the gap.
                RecoveryTargetKind.Time => DateTimeOffset.Parse(target.Value, CultureInfo.InvariantCulture) > backup.ReachArchivedAt,
                _ => false,
            };
            findings.Add(new(FailureCause.WalArchivingFailed,
                $"WAL gap after base backup {b.BackupId}: segment {gap} is missing, so recovery stops at {backup.Reach} and the " +
                $"{backup.SegmentsBeyondGap} segment(s) archived after the gap are unreachable", blocks));
        }
        return findings;
    }

    /// <summary>The inventory as an auditor reads it: attached to the drill's report.</summary>
    public string Describe()
    {
        var text = new StringBuilder($"store: {Location}\n\nbase backups ({Backups.Count}):\n");
        text.Append("backup id | status | begin | end | begin WAL | end WAL | timeline | PostgreSQL | data archives | WAL to consistency | reaches without gap\n");
        foreach (var b in Backups)
        {
            var i = b.Info.Backup;
            text.Append(CultureInfo.InvariantCulture,
                $"{i.BackupId} | {i.Status} | {i.BeginTime:u} | {(i.Status == "DONE" ? i.EndTime.ToString("u", CultureInfo.InvariantCulture) : "-")} | {i.BeginWal} | {i.EndWal} | {i.Timeline} | " +
                $"{b.Info.PostgresMajor} | {Names(b.DataArchives, "none")} | {(b.MissingToConsistency.Count == 0 ? "complete" : "missing " + Segments(b.MissingToConsistency))} | " +
                $"{(b.Reach is { } r ? $"{r} (archived {b.ReachArchivedAt:u})" : "-")}\n");
        }
        foreach (var u in Unreadable) text.Append($"{u} | backup.info unreadable\n");
        text.Append("\nWAL segments (found / missing):\n");
        foreach (var run in WalRuns) text.Append(run).Append('\n');
        if (WalRuns.Count == 0) text.Append("none\n");
        text.Append($"\nhistory files: {(HistoryFiles.Count == 0 ? "none" : string.Join(", ", HistoryFiles))}\n");
        text.Append($"recoverability window: first point {(FirstRecoverabilityPoint is { } f ? f.ToString("u", CultureInfo.InvariantCulture) : "none")}; ");
        text.Append(LastRecoverabilityPoint is { } l ? $"last point: segment {l.Segment}, archived {l.ArchivedAt:u}\n" : "last point: none\n");
        return text.ToString();
    }

    private static string Names(IReadOnlyList<StoreObject> objects, string none) =>
        objects.Count == 0 ? none : string.Join(", ", objects.Select(o => $"{Path.GetFileName(o.Name)} ({o.Size} bytes)"));

    private static string Segments(IReadOnlyList<WalSegmentName> segments) =>
        segments.Count <= 3 ? string.Join(", ", segments) : $"{segments[0]} .. {segments[^1]} ({segments.Count} segments)";
}

/// <summary>A run of consecutive WAL segments on one timeline, all found or all missing.</summary>
public sealed record WalRun(WalSegmentName First, WalSegmentName Last, bool Found, long Count)
{
    public override string ToString() => $"timeline {First.Timeline}: {First}..{Last} {(Found ? "found" : "MISSING")} ({Count} segment(s))";
}
