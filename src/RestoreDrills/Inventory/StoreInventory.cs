using System.Globalization;
using System.Text;
using RestoreDrills.Backups;
using RestoreDrills.Failures;
using RestoreDrills.RecoveryTargets;

namespace RestoreDrills.Inventory;

/// <summary>
/// What a barman-cloud store holds for one server, read with list and read rights only: base backups (from their
/// backup.info), WAL segments per timeline and where they have gaps (found / missing, as WAL-G's wal-verify
/// reports), history files, and the recoverability window. It flags what would fail a restore before one starts.
/// </summary>
public sealed class StoreInventory
{
    private readonly Dictionary<uint, SortedDictionary<long, StoreObject>> _wal;
    private readonly Dictionary<uint, SortedDictionary<long, StoreObject>> _partials;
    private readonly Dictionary<uint, TimelineHistory> _histories;
    private readonly long _segmentSize;

    private StoreInventory(string location, IReadOnlyList<InventoryBackup> backups, IReadOnlyList<WalRun> walRuns,
        IReadOnlyList<string> historyFiles, IReadOnlyList<string> unreadable, IReadOnlyList<TimelineHistory> histories,
        IReadOnlyList<string> historyProblems, Dictionary<uint, SortedDictionary<long, StoreObject>> wal,
        Dictionary<uint, SortedDictionary<long, StoreObject>> partials, long segmentSize)
    {
        Location = location;
        Backups = backups;
        WalRuns = walRuns;
        HistoryFiles = historyFiles;
        PartialFiles = partials.SelectMany(p => p.Value.Values).Select(o => Path.GetFileName(o.Name)).Order().ToList();
        Unreadable = unreadable;
        Forks = histories.Select(h => h.Forks[^1]).ToList();
        HistoryProblems = historyProblems;
        _histories = histories.GroupBy(h => h.Timeline).ToDictionary(g => g.Key, g => g.First());
        _wal = wal;
        _partials = partials;
        _segmentSize = segmentSize;
    }

    /// <summary>The timelines the history files declare, each with its fork.</summary>
    public IReadOnlyList<TimelineFork> Forks { get; }

    /// <summary>
    /// A promoted standby archives the old timeline's last, partly written segment as "….partial" (xlog.c, since 9.5):
    /// evidence of the promotion. PostgreSQL never asks for one, but barman-cloud-wal-restore answers a request for the
    /// segment with its .partial when the whole one is absent (download_wal, barman-cloud 3.4): a restore that stays on
    /// the old timeline replays it up to the fork. Its pre-fork content is in the new timeline's segment too.
    /// </summary>
    public IReadOnlyList<string> PartialFiles { get; }

    /// <summary>History files that could not be read or parsed: each a finding, never skipped.</summary>
    public IReadOnlyList<string> HistoryProblems { get; }

    public string Location { get; }
    public IReadOnlyList<InventoryBackup> Backups { get; }
    public IReadOnlyList<WalRun> WalRuns { get; }
    public IReadOnlyList<string> HistoryFiles { get; }

    /// <summary>backup.info files that could not be parsed: listed, never silently dropped.</summary>
    public IReadOnlyList<string> Unreadable { get; }

    /// <summary>The earliest point a restore can reach: the end of the oldest restorable backup.</summary>
    public DateTimeOffset? FirstRecoverabilityPoint =>
        Backups.Where(b => b.Restorable).Select(b => (DateTimeOffset?)b.Info.Backup.EndTime).Min();

    /// <summary>
    /// The last point: the newest segment a restore to latest reads from a restorable backup (across timelines, up to
    /// the first gap), and when it was archived.
    /// </summary>
    public (WalSegmentName Segment, DateTimeOffset ArchivedAt)? LastRecoverabilityPoint =>
        Backups.Where(b => b.Restorable).Select(b => LatestPath(b).End).OfType<WalSegmentName>()
            .Select(s => (Segment: s, ArchivedAt: Served(s.Timeline, s.Ordinal(_segmentSize))!.LastModified))
            .OrderBy(p => p.ArchivedAt).Select(p => ((WalSegmentName, DateTimeOffset)?)p).LastOrDefault();

    /// <param name="objects">every blob under the server's folder, named relative to it</param>
    /// <param name="infos">the parsed backup.info of each backup, by backup id (null: present but unreadable)</param>
    /// <param name="histories">the text of each history file, by file name (null: present but unreadable); not read: none checked</param>
    public static StoreInventory Analyse(string location, IReadOnlyList<StoreObject> objects, IReadOnlyDictionary<string, BackupInfo?> infos,
        IReadOnlyDictionary<string, string?>? histories = null)
    {
        var segmentSize = infos.Values.FirstOrDefault(i => i is not null)?.SegmentSize ?? WalSegmentName.DefaultSegmentSize;
        var wal = new Dictionary<uint, SortedDictionary<long, StoreObject>>();
        var history = new List<string>();
        var partials = new Dictionary<uint, SortedDictionary<long, StoreObject>>();
        foreach (var o in objects.Where(o => o.Name.StartsWith("wals/", StringComparison.Ordinal)))
        {
            var file = Path.GetFileName(o.Name);
            var stem = file.Split('.')[0];
            if (file.Contains(".history", StringComparison.Ordinal)) history.Add(file);
            else if (!file.Contains(".backup", StringComparison.Ordinal) && WalSegmentName.TryParse(stem, out var segment))
            {
                var files = file.Contains(".partial", StringComparison.Ordinal) ? partials : wal;
                if (!files.TryGetValue(segment.Timeline, out var timeline)) files[segment.Timeline] = timeline = [];
                timeline[segment.Ordinal(segmentSize)] = o;
            }
        }

        var backups = infos.Where(i => i.Value is not null).Select(i => Describe(i.Value!, objects, wal, segmentSize))
            .OrderBy(b => b.Info.Backup.BeginTime).ToList();
        var runs = wal.OrderBy(t => t.Key).SelectMany(t => Runs(t.Key, t.Value, backups, segmentSize)).ToList();
        var parsed = new List<TimelineHistory>();
        var problems = new List<string>();
        foreach (var (file, text) in (histories ?? new Dictionary<string, string?>()).OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            if (text is null)
            {
                problems.Add($"{file} cannot be read");
                continue;
            }
            try
            {
                parsed.Add(TimelineHistory.Parse(file, text));
            }
            catch (FormatException e)
            {
                problems.Add(e.Message);
            }
        }
        return new StoreInventory(location, backups, runs, history.Order().ToList(),
            infos.Where(i => i.Value is null).Select(i => i.Key).Order().ToList(), parsed, problems, wal, partials, segmentSize);
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

    /// <summary>The newest segment the store holds on a timeline, past any gap: where the archive ends.</summary>
    public WalSegmentName? NewestSegment(uint timeline) =>
        _wal.GetValueOrDefault(timeline) is { Count: > 0 } segments ? WalSegmentName.FromOrdinal(timeline, segments.Keys.Last(), _segmentSize) : null;

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
        findings.AddRange(TimelineFindings(target.Kind == RecoveryTargetKind.Latest));
        if (target.Kind == RecoveryTargetKind.Latest)
        {
            // A gap on the backup's own timeline is named above: the path adds what it misses on other timelines.
            var path = LatestPath(backup);
            findings.AddRange(LatestFindings(backup, path, unread: backup.FirstGap is null || path.Unread.Any(s => s.Timeline != b.Timeline)));
        }
        return findings;
    }

    /// <summary>
    /// The history files against the WAL: each parses, and each declared timeline has WAL of its own from its fork on
    /// wherever its parent has. The segment holding a fork point is read from the child (its copy up to the fork,
    /// XLogInitNewTimeline); the parent's copy is archived only as .partial, so a parent without it is healthy. A
    /// timeline declared without WAL while its parent has WAL from the fork on is where a restore to latest goes
    /// (PostgreSQL follows the newest history file); measured on PostgreSQL 15, it then replays the parent's segments past
    /// the fork as the new timeline's (XLogFileReadAnyTLI falls back to an older timeline's segment) for as long as the
    /// new timeline has none: the store's history and its WAL disagree, and what a restore gives depends on which comes next.
    /// </summary>
    public IReadOnlyList<InventoryFinding> TimelineFindings(bool toLatest)
    {
        var findings = HistoryProblems.Select(p => new InventoryFinding(FailureCause.WalArchivingFailed, $"history file: {p}", toLatest)).ToList();
        foreach (var fork in Forks)
        {
            var first = WalSegmentName.Containing(fork.Timeline, fork.ForkPoint.Value, _segmentSize).Ordinal(_segmentSize);
            var own = _wal.GetValueOrDefault(fork.Timeline);
            var parentWal = _wal.GetValueOrDefault(fork.Parent);
            if (own is not null && own.Keys.Any(k => k >= first)) continue;
            if (parentWal is null || !parentWal.Keys.Any(k => k >= first)) continue; // promoted, nothing archived on it yet
            var parentSegment = WalSegmentName.Containing(fork.Parent, fork.ForkPoint.Value - 1, _segmentSize).Ordinal(_segmentSize);
            var pastFork = parentWal.Keys.Count(k => k > parentSegment);
            findings.Add(new(FailureCause.WalArchivingFailed,
                $"{fork}, but the store holds no WAL of timeline {fork.Timeline} from there on (its first segment would be " +
                $"{WalSegmentName.FromOrdinal(fork.Timeline, first, _segmentSize)})" +
                (pastFork > 0 ? $", while timeline {fork.Parent} archived {pastFork} segment(s) past the fork: the store's timelines disagree about what follows the fork " +
                                   $"(a restore to latest follows timeline {fork.Timeline} and replays timeline {fork.Parent}'s segments as its own only while timeline {fork.Timeline} has none)" : ""),
                toLatest));
        }
        return findings;
    }

    /// <summary>
    /// The timeline recovery_target_timeline = latest follows from a backup's timeline, and why: PostgreSQL looks for the
    /// history file of the next timeline, and of the next, until one is missing (findNewestTimeLine).
    /// </summary>
    public string LatestFollows(uint fromTimeline)
    {
        var newest = LatestTimeline(fromTimeline);
        return newest == fromTimeline
            ? $"recovery_target_timeline = latest stays on timeline {fromTimeline}: the store has no {fromTimeline + 1:X8}.history"
            : $"recovery_target_timeline = latest follows timeline {newest}: {newest:X8}.history is the newest history file after timeline {fromTimeline} (no {newest + 1:X8}.history)";
    }

    /// <summary>The timeline recovery_target_timeline = latest ends on, from a backup's timeline (see <see cref="LatestFollows"/>).</summary>
    public uint LatestTimeline(uint fromTimeline)
    {
        var declared = Forks.Select(f => f.Timeline).ToHashSet();
        var newest = fromTimeline;
        while (declared.Contains(newest + 1)) newest++;
        return newest;
    }

    /// <summary>
    /// A restore of <paramref name="backup"/> to latest, segment by segment as recovery reads (xlogrecovery.c): from the
    /// backup's first segment on, each segment from the newest timeline of the followed history that has begun by then
    /// and is not older than the timeline last read, and that the store serves (whole, or as .partial: see
    /// <see cref="PartialFiles"/>); the first segment none serves ends it.
    /// </summary>
    public LatestReplayPath LatestPath(InventoryBackup backup)
    {
        var backupTimeline = (uint)backup.Info.Backup.Timeline;
        var timeline = LatestTimeline(backupTimeline);
        var history = _histories.GetValueOrDefault(timeline) ?? TimelineHistory.Root(timeline);
        var notAChild = history.Contains(backupTimeline) ? null
            : $"recovery_target_timeline = latest follows timeline {timeline}, whose history ({history.Forks[^1].File}) does not contain the backup's " +
              $"timeline {backupTimeline}: PostgreSQL refuses to start (\"requested timeline {timeline} is not a child of this server's history\")";
        var expected = history.NewestFirst()
            .Select(t => (t.Timeline, Begins: WalSegmentName.Containing(t.Timeline, t.Begin, _segmentSize).Ordinal(_segmentSize))).ToList();
        var read = new List<WalSegmentName>();
        long? firstNeeded = WalSegmentName.TryParse(backup.Info.Backup.BeginWal, out var begin) ? begin.Ordinal(_segmentSize) : null;
        if (notAChild is null && firstNeeded is { } first)
        {
            var last = _wal.Values.Concat(_partials.Values).Where(w => w.Count > 0).Select(w => w.Keys.Last()).DefaultIfEmpty(-1).Max();
            uint current = 0;
            for (var n = first; n <= last; n++)
            {
                // Newest first, never older than the timeline of the file read last (XLogFileReadAnyTLI).
                var from = expected.TakeWhile(t => t.Timeline >= current).Where(t => n >= t.Begins)
                    .Select(t => (uint?)t.Timeline).FirstOrDefault(t => Served(t!.Value, n) is not null);
                if (from is not { } found) break;
                current = found;
                read.Add(WalSegmentName.FromOrdinal(found, n, _segmentSize));
            }
        }
        var end = read.Count > 0 ? read[^1] : (WalSegmentName?)null;
        var readSet = read.ToHashSet();
        var others = _wal.SelectMany(w => w.Value.Keys.Where(k => k >= (firstNeeded ?? 0)).Select(k => WalSegmentName.FromOrdinal(w.Key, k, _segmentSize)))
            .Where(s => !readSet.Contains(s)).ToList();
        bool Missed(WalSegmentName s) => end is not { } e || !history.Contains(s.Timeline) || s.Ordinal(_segmentSize) > e.Ordinal(_segmentSize);
        return new LatestReplayPath(timeline, LatestReplayPath.Runs(read, _segmentSize), end,
            others.Where(Missed).ToList(), others.Where(s => !Missed(s)).ToList(), notAChild);
    }

    /// <summary>A segment as the store serves it: its name, and where only its .partial is there, said so.</summary>
    private string Named(WalSegmentName segment) =>
        _wal.GetValueOrDefault(segment.Timeline)?.ContainsKey(segment.Ordinal(_segmentSize)) == true
            ? segment.ToString() : $"{segment} (its .partial: the old timeline's segment up to the fork)";

    /// <summary>What barman-cloud-wal-restore answers for a segment: the whole one, else its .partial, else nothing.</summary>
    private StoreObject? Served(uint timeline, long ordinal) =>
        _wal.GetValueOrDefault(timeline)?.GetValueOrDefault(ordinal) ?? _partials.GetValueOrDefault(timeline)?.GetValueOrDefault(ordinal);

    /// <summary>
    /// What a restore to latest would miss: WAL the store holds past where it ends, or of a timeline no history file leads
    /// to (the silent cross-timeline truncation: a lost history file, and latest stays on the old timeline and promotes
    /// quietly). Each blocks, naming the segments and the timeline the restore stays on.
    /// </summary>
    public IReadOnlyList<InventoryFinding> LatestFindings(InventoryBackup backup) => LatestFindings(backup, LatestPath(backup), unread: true);

    private List<InventoryFinding> LatestFindings(InventoryBackup backup, LatestReplayPath path, bool unread)
    {
        var findings = new List<InventoryFinding>();
        if (path.NotAChild is { } refused) findings.Add(new(FailureCause.WalArchivingFailed, refused, true));
        else if (unread && path.Unread.Count > 0) findings.Add(new(FailureCause.WalArchivingFailed, Unread(backup, path), true));
        if (path.Skipped.Count > 0)
            findings.Add(new(FailureCause.WalArchivingFailed,
                $"a restore to latest from backup {backup.Id} skips WAL of timelines it leaves at their fork: {LatestReplayPath.Describe(path.Skipped, _segmentSize)}", false));
        return findings;
    }

    private string Unread(InventoryBackup backup, LatestReplayPath path)
    {
        var from = (uint)backup.Info.Backup.Timeline;
        var route = path.Timeline == from ? $"stays on timeline {from} ({LatestFollows(from).Split(": ", 2)[1]})" : $"follows timeline {path.Timeline}";
        var ends = path.End is { } e ? $"ends in {Named(e)}" : $"finds not even its first segment {backup.Info.Backup.BeginWal}";
        var history = _histories.GetValueOrDefault(path.Timeline) ?? TimelineHistory.Root(path.Timeline);
        var strays = path.Unread.Select(s => s.Timeline).Distinct().Where(t => !history.Contains(t)).Order()
            .Select(t => $"no history file leads to timeline {t} " + (_histories.ContainsKey(t)
                ? $"({t:X8}.history is in the store, but latest stops looking at the missing {path.Timeline + 1:X8}.history)"
                : $"({t:X8}.history is not in the store)"));
        return $"a restore to latest from backup {backup.Id} {route} and {ends}, but the store holds {path.Unread.Count} segment(s) it would not read: " +
               LatestReplayPath.Describe(path.Unread, _segmentSize) + string.Concat(strays.Select(s => "; " + s));
    }

    /// <summary>
    /// Where a restore of <paramref name="backup"/> to latest must end: the newest segment of the store it would read
    /// or should have (past a gap, on a timeline a lost history file hides), else the backup's gap-free reach; null when
    /// the store holds no WAL for it.
    /// </summary>
    public WalSegmentName? ArchiveEnd(InventoryBackup backup)
    {
        var path = LatestPath(backup);
        return path.Read.Select(r => r.Last).Concat(path.Unread).OrderBy(s => s.Ordinal(_segmentSize)).ThenBy(s => s.Timeline)
            .Select(s => (WalSegmentName?)s).LastOrDefault() ?? backup.Reach;
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
        foreach (var fork in Forks) text.Append(fork).Append('\n');
        foreach (var problem in HistoryProblems) text.Append("unreadable history: ").Append(problem).Append('\n');
        if (PartialFiles.Count > 0) text.Append($"partial segments (a promotion's evidence, never replayed): {string.Join(", ", PartialFiles)}\n");
        if (Backups.Where(b => b.Restorable).MaxBy(b => b.Info.Backup.EndTime) is { } newestBackup)
        {
            text.Append(LatestFollows((uint)newestBackup.Info.Backup.Timeline)).Append($" (from the newest restorable backup {newestBackup.Id})\n");
            var path = LatestPath(newestBackup);
            text.Append($"a restore to latest reads: {(path.Read.Count == 0 ? "nothing" : LatestReplayPath.Describe(path.Read))}")
                .Append(path.End is { } end ? $", ending in {Named(end)}\n" : "\n");
            if (path.Unread.Count > 0) text.Append($"not read by it: {LatestReplayPath.Describe(path.Unread, _segmentSize)}\n");
        }
        text.Append($"recoverability window: first point {(FirstRecoverabilityPoint is { } f ? f.ToString("u", CultureInfo.InvariantCulture) : "none")}; ");
        text.Append(LastRecoverabilityPoint is { } l ? $"last point: segment {l.Segment}, archived {l.ArchivedAt:u}\n" : "last point: none\n");
        return text.ToString();
    }

    private static string Names(IReadOnlyList<StoreObject> objects, string none) =>
        objects.Count == 0 ? none : string.Join(", ", objects.Select(o => $"{Path.GetFileName(o.Name)} ({o.Size} bytes)"));

    private static string Segments(IReadOnlyList<WalSegmentName> segments) =>
        segments.Count <= 3 ? string.Join(", ", segments) : $"{segments[0]} .. {segments[^1]} ({segments.Count} segments)";
}
