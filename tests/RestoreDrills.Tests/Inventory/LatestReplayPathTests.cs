namespace RestoreDrills.Tests.Inventory;

/// <summary>
/// A restore to latest walked through the store as recovery reads it, on the listing DR-SWITCHOVER-LATEST's store had
/// after two switchovers (timelines 1 -> 2 -> 3, names and switch points as PostgreSQL 15 and barman-cloud 3.4 wrote them;
/// docs/drills.md), then with one file taken away or added at a time. The drills prove the same on the real store
/// (NewTimelineStoreTests, SwitchoverDrills); these pin each rule's words.
/// </summary>
public sealed class LatestReplayPathTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 8, 0, 26, 0, TimeSpan.Zero);

    private static string Seg(int timeline, int n) => $"{timeline:X8}00000000{n:X8}";

    private sealed class Store
    {
        public List<string> Wal { get; } =
        [
            .. Enumerable.Range(1, 4).Select(n => Seg(1, n) + ".gz"), Seg(1, 5) + ".partial.gz",
            Seg(2, 5) + ".gz", Seg(2, 6) + ".gz", Seg(2, 7) + ".partial.gz",
            Seg(3, 7) + ".gz",
        ];

        public Dictionary<string, string?> Histories { get; } = new()
        {
            ["00000002.history.gz"] = "1\t0/50000A0\tno recovery target specified\n",
            ["00000003.history.gz"] = "1\t0/50000A0\tno recovery target specified\n\n2\t0/70000A0\tno recovery target specified\n",
        };

        public int BackupTimeline { get; set; } = 1;

        public StoreInventory Analyse()
        {
            var objects = new List<StoreObject> { new("base/B1/backup.info", 1154, T0), new("base/B1/data.tar.gz", 4_325_076, T0) };
            objects.AddRange(Wal.Select((w, i) => new StoreObject($"wals/{w[..16]}/{w}", 16_000, T0.AddSeconds(10 * i))));
            objects.AddRange(Histories.Keys.Select(h => new StoreObject($"wals/{h}", 60, T0.AddMinutes(1))));
            var info = BackupInfo.Parse("B1", $"""
                begin_time=2026-12-08 00:26:32+00:00
                begin_wal={Seg(BackupTimeline, 2)}
                end_time=2026-12-08 00:26:36+00:00
                end_wal={Seg(BackupTimeline, 2)}
                end_xlog=0/2000100
                status=DONE
                timeline={BackupTimeline}
                version=150018
                xlog_segment_size=16777216
                """);
            return StoreInventory.Analyse("http://azurite/srv", objects, new Dictionary<string, BackupInfo?> { ["B1"] = info }, Histories);
        }
    }

    private static (StoreInventory Inventory, InventoryBackup Backup) Of(Store store)
    {
        var inventory = store.Analyse();
        return (inventory, inventory.Backups.Single());
    }

    [Test]
    public void After_two_switchovers_latest_reads_each_segment_from_the_newest_timeline_that_holds_it_and_misses_nothing()
    {
        var (inventory, backup) = Of(new Store());
        var path = inventory.LatestPath(backup);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(path.Timeline, Is.EqualTo(3u));
            Assert.That(LatestReplayPath.Describe(path.Read), Is.EqualTo(
                $"timeline 1: {Seg(1, 2)}..{Seg(1, 4)} (3 segment(s)); timeline 2: {Seg(2, 5)}..{Seg(2, 6)} (2 segment(s)); timeline 3: {Seg(3, 7)}..{Seg(3, 7)} (1 segment(s))"),
                "the fork segments 5 and 7 from the child: the parents hold them only as .partial");
            Assert.That(path.Unread, Is.Empty);
            Assert.That(path.Skipped, Is.Empty);
            Assert.That(inventory.LatestFindings(backup), Is.Empty);
            Assert.That(inventory.TimelineFindings(toLatest: true), Is.Empty);
            Assert.That(inventory.Check(backup, RecoveryTarget.Latest()), Is.Empty);
            Assert.That(inventory.ArchiveEnd(backup), Is.EqualTo(WalSegmentName.Parse(Seg(3, 7))));
            Assert.That(inventory.PartialFiles, Is.EqualTo(new[] { Seg(1, 5) + ".partial.gz", Seg(2, 7) + ".partial.gz" }));
        }
    }

    /// <summary>barman-cloud-wal-restore serves timeline 2's .partial of segment 7: replay ends inside it, at the second fork.</summary>
    [Test]
    public void Without_the_newest_history_file_latest_stops_on_the_timeline_before_and_names_the_newest_timelines_WAL()
    {
        var store = new Store();
        store.Histories.Remove("00000003.history.gz");
        var (inventory, backup) = Of(store);
        var finding = inventory.LatestFindings(backup).Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(finding.Blocks, Is.True);
            Assert.That(finding.Cause, Is.EqualTo(FailureCause.WalArchivingFailed));
            Assert.That(finding.Message, Is.EqualTo(
                $"a restore to latest from backup B1 follows timeline 2 and ends in {Seg(2, 7)} (its .partial: the old timeline's segment up to the fork), " +
                $"but the store holds 1 segment(s) it would not read: timeline 3: {Seg(3, 7)}..{Seg(3, 7)} (1 segment(s)); " +
                "no history file leads to timeline 3 (00000003.history is not in the store)"));
            Assert.That(inventory.Check(backup, RecoveryTarget.Latest()).Single(f => f.Blocks), Is.EqualTo(finding));
            Assert.That(inventory.Check(backup, RecoveryTarget.Immediate("B1")), Is.Empty, "a fixed target does not need the newest timeline");
        }
    }

    /// <summary>PostgreSQL looks for 00000002.history, then 3, …: a missing 2 hides a 3 that is there.</summary>
    [Test]
    public void Without_an_older_history_file_latest_stays_on_the_first_timeline_though_a_newer_one_is_there()
    {
        var store = new Store();
        store.Histories.Remove("00000002.history.gz");
        var (inventory, backup) = Of(store);
        Assert.That(inventory.LatestFindings(backup).Single().Message, Is.EqualTo(
            $"a restore to latest from backup B1 stays on timeline 1 (the store has no 00000002.history) and ends in {Seg(1, 5)} (its .partial: the old timeline's segment up to the fork), " +
            $"but the store holds 3 segment(s) it would not read: timeline 2: {Seg(2, 5)}..{Seg(2, 6)} (2 segment(s)); timeline 3: {Seg(3, 7)}..{Seg(3, 7)} (1 segment(s)); " +
            "no history file leads to timeline 2 (00000002.history is not in the store); " +
            "no history file leads to timeline 3 (00000003.history is in the store, but latest stops looking at the missing 00000002.history)"));
    }

    /// <summary>Failed before (the walk stopped at the newest whole segment, 4): barman-cloud serves a .partial that ends the store too.</summary>
    [Test]
    public void A_partial_segment_at_the_end_of_the_store_is_read_as_barman_cloud_serves_it()
    {
        var store = new Store();
        store.Wal.RemoveAll(w => !w.StartsWith("00000001", StringComparison.Ordinal));
        store.Histories.Clear();
        var (inventory, backup) = Of(store);
        Assert.That(inventory.LatestPath(backup).End, Is.EqualTo(WalSegmentName.Parse(Seg(1, 5))));
        Assert.That(inventory.LatestFindings(backup), Is.Empty);
    }

    /// <summary>An old primary that wrote on after the fork: its segments the restore passes by are a warning; past its end, WAL it misses.</summary>
    [TestCase(6, false, TestName = "A parent's WAL past its fork that the new timeline outgrew is skipped, a warning")]
    [TestCase(9, true, TestName = "A parent's WAL past its fork and past where the restore ends is WAL it misses")]
    public void A_parent_that_wrote_on_after_its_fork(int lastOnOne, bool blocks)
    {
        var store = new Store();
        store.Wal.Remove(Seg(1, 5) + ".partial.gz");
        store.Wal.AddRange(Enumerable.Range(5, lastOnOne - 4).Select(n => Seg(1, n) + ".gz"));
        var (inventory, backup) = Of(store);
        var path = inventory.LatestPath(backup);
        var findings = inventory.LatestFindings(backup);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(path.End, Is.EqualTo(WalSegmentName.Parse(Seg(3, 7))), "the newest timeline wins each segment it holds");
            Assert.That(findings.Any(f => f.Blocks), Is.EqualTo(blocks), () => string.Join("\n", findings));
            Assert.That(findings.Single(f => !f.Blocks).Message, Is.EqualTo($"a restore to latest from backup B1 skips WAL of timelines it leaves at their fork: timeline 1: {Seg(1, 5)}..{Seg(1, Math.Min(lastOnOne, 7))} ({Math.Min(lastOnOne, 7) - 4} segment(s))"));
        }
    }

    [Test]
    public void A_newest_timeline_whose_history_leaves_out_the_backups_timeline_is_refused_as_PostgreSQL_refuses_it()
    {
        var store = new Store { BackupTimeline = 2 };
        store.Histories["00000003.history.gz"] = "1\t0/70000A0\tforked from timeline 1, not 2\n";
        var (inventory, backup) = Of(store);
        Assert.That(inventory.LatestFindings(backup).Single().Message, Is.EqualTo(
            "recovery_target_timeline = latest follows timeline 3, whose history (00000003.history.gz) does not contain the backup's timeline 2: " +
            "PostgreSQL refuses to start (\"requested timeline 3 is not a child of this server's history\")"));
    }

    [Test]
    public void A_history_file_is_read_whole_each_line_ending_one_timeline_where_the_next_begins()
    {
        var history = TimelineHistory.Parse("00000003.history.gz", "1\t0/50000A0\tno recovery target specified\n\n2\t0/70000A0\tx\n");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(history.NewestFirst(), Is.EqualTo(new[] { (3u, 0x70000A0UL), (2u, 0x50000A0UL), (1u, 0UL) }));
            Assert.That(history.Forks.Select(f => f.ToString()), Is.EqualTo(new[]
            {
                "timeline 2 forks from timeline 1 at 0/50000A0 (00000003.history.gz)", "timeline 3 forks from timeline 2 at 0/70000A0 (00000003.history.gz)",
            }));
            Assert.That(TimelineHistory.Root(1).NewestFirst(), Is.EqualTo(new[] { (1u, 0UL) }));
            Assert.Throws<FormatException>(() => TimelineHistory.Parse("00000003.history", "2\t0/5000000\tx\n1\t0/7000000\ty\n"), "timeline 1 cannot follow timeline 2");
        }
    }
}
