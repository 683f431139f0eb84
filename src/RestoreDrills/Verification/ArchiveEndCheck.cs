using System.Text.RegularExpressions;
using RestoreDrills.Inventory;

namespace RestoreDrills.Verification;

/// <summary>
/// A restore to latest must reach the end of the archive. PostgreSQL promotes quietly when WAL runs out: a segment it
/// rejects ("unexpected pageaddr", "invalid record length") or cannot fetch ends recovery early with no error, and the
/// server comes up short. Without a source to compare with, only the store tells how far replay should have gone: the
/// newest segment the store holds (the inventory's; past a gap, since a gap is exactly where replay stops short).
/// </summary>
public static partial class ArchiveEndCheck
{
    public const string Name = "the restore replayed WAL to the end of the archive";

    /// <summary>
    /// Against the store as the inventory read it: a history file that declares a timeline without WAL is where latest
    /// goes and stops (PostgreSQL follows the newest history file), whatever timeline replay ended on; else replay must
    /// reach the archive's end (<see cref="StoreInventory.ArchiveEnd"/>), and a short replay names the WAL the store
    /// holds that it did not read (a lost history file: the segments of the timeline it hid, and the timeline replay
    /// stayed on). Null when the store holds no WAL for the backup.
    /// </summary>
    public static CheckResult? Evaluate(StoreInventory inventory, InventoryBackup backup, ReplayEnd end, string recoveryLog)
    {
        if (inventory.TimelineFindings(toLatest: true).FirstOrDefault(f => f.Blocks) is { } timeline)
            return CheckResult.Fail(CheckKind.Wal, Name, $"{timeline.Message}; replay ended at {end}");
        if (inventory.ArchiveEnd(backup) is not { } reach) return null;
        var check = Evaluate(reach, end, backup.Info.SegmentSize, recoveryLog, backup.FirstGap);
        return check.Passed || inventory.LatestFindings(backup).FirstOrDefault(f => f.Blocks) is not { } missed
            ? check
            : check with { Detail = $"{check.Detail}; the store: {missed.Message}" };
    }

    /// <param name="reach">the archive's end replay must reach</param>
    /// <param name="missingFromStore">the first segment the store lacks after the backup (the inventory's first gap), if any</param>
    public static CheckResult Evaluate(WalSegmentName reach, ReplayEnd end, long segmentSize, string recoveryLog, WalSegmentName? missingFromStore = null)
    {
        var last = end.LastSegment(segmentSize);
        // The end may be on a later timeline than the reach (a switchover since the archive's end was read), never an earlier
        // one: the later timeline's segments continue the same positions, and replay that stayed behind missed them.
        if (last.Timeline >= reach.Timeline && last.Ordinal(segmentSize) >= reach.Ordinal(segmentSize))
            return CheckResult.Pass(CheckKind.Wal, Name, $"replay ended at {end}, in {last}; the archive holds WAL from the backup to {reach}");
        if (last.Timeline < reach.Timeline)
            return CheckResult.Fail(CheckKind.Wal, Name,
                $"replay ended at {end}, in {last}, and stayed on timeline {last.Timeline}: the archive's end {reach} is on timeline {reach.Timeline}, " +
                $"which the restore did not follow (recovery_target_timeline = latest follows only the history files it finds: is {last.Timeline + 1:X8}.history in the store?)");
        var firstMissed = last.Next(segmentSize);
        var said = PostgresSaid(recoveryLog, firstMissed);
        return CheckResult.Fail(CheckKind.Wal, Name,
            $"replay ended at {end}, in {last}, short of the archive's end {reach}: the first segment not replayed is {firstMissed}" +
            (firstMissed == missingFromStore ? " (missing from the store)" : "") +
            (said.Count > 0 ? $"; PostgreSQL: {string.Join(" | ", said)}" : "; PostgreSQL logged nothing about it (it promotes quietly when WAL runs out)"));
    }

    /// <summary>PostgreSQL's own lines about where replay stopped: the segment not replayed, a record it rejected, "redo done".</summary>
    private static List<string> PostgresSaid(string log, WalSegmentName firstMissed) =>
        log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.Contains(firstMissed.ToString(), StringComparison.Ordinal) || EndOfReplay().IsMatch(l))
            .TakeLast(4).ToList();

    [GeneratedRegex(@"unexpected pageaddr|invalid record|invalid magic number|incorrect prev-link|invalid resource manager|contrecord|incorrect resource manager data checksum|redo done at|could not (?:read|open|restore)", RegexOptions.IgnoreCase)]
    private static partial Regex EndOfReplay();
}
