namespace RestoreDrills.Tests.Inventory;

/// <summary>
/// The inventory at its edges, found by mutation testing: two backups, files barman-cloud writes beside the segments,
/// objects outside wals/, targets on the boundary of a gap, and the text an auditor reads.
/// </summary>
public sealed class StoreInventoryEdgeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 1, 0, 0, TimeSpan.Zero);
    private const string Location = "http://azurite:10000/devstoreaccount1/backups/srv";

    private static BackupInfo Info(string id, string beginWal, string endWal, int minute, string status = "DONE", int timeline = 1, string extra = "") =>
        BackupInfo.Parse(id, $"""
            begin_time=2026-11-25 01:{minute:00}:00+00:00
            begin_wal={beginWal}
            end_time=2026-11-25 01:{minute + 1:00}:00+00:00
            end_wal={endWal}
            end_xlog=0/3000100
            status={status}
            timeline={timeline}
            version=150018
            {extra}
            """);

    private static StoreObject Segment(int n, int timeline = 1, string suffix = ".gz") =>
        new($"wals/{timeline:X8}00000000/{timeline:X8}00000000000000{n:X2}{suffix}", 16_000, T0.AddMinutes(n));

    private static string Seg(int n, int timeline = 1) => $"{timeline:X8}00000000000000{n:X2}";

    /// <summary>B1 (segments 2..3) and B2 (6..6) on timeline 1; WAL 2..4 and 6..9 (5 is missing).</summary>
    private static (List<StoreObject> Objects, Dictionary<string, BackupInfo?> Infos) TwoBackupsAroundAGap()
    {
        var objects = new List<StoreObject>
        {
            new("base/B1/backup.info", 1154, T0.AddMinutes(3)), new("base/B1/data.tar.gz", 3_000_000, T0.AddMinutes(3)),
            new("base/B2/backup.info", 1154, T0.AddMinutes(7)), new("base/B2/data.tar", 3_100_000, T0.AddMinutes(7)),
        };
        foreach (var n in new[] { 2, 3, 4, 6, 7, 8, 9 }) objects.Add(Segment(n));
        return (objects, new Dictionary<string, BackupInfo?>
        {
            ["B2"] = Info("B2", Seg(6), Seg(6), 6), ["B1"] = Info("B1", Seg(2), Seg(3), 2),
        });
    }

    private static StoreInventory Analyse((List<StoreObject> Objects, Dictionary<string, BackupInfo?> Infos) store,
        IReadOnlyDictionary<string, string?>? histories = null) =>
        StoreInventory.Analyse(Location, store.Objects, store.Infos, histories);

    [Test]
    public void The_window_runs_from_the_oldest_backups_end_to_the_newest_reach_of_any_restorable_backup()
    {
        var inventory = Analyse(TwoBackupsAroundAGap());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(inventory.Backups.Select(b => b.Id), Is.EqualTo(new[] { "B1", "B2" }), "oldest first");
            Assert.That(inventory.Backups.Select(b => b.Reach.ToString()), Is.EqualTo(new[] { Seg(4), Seg(9) }));
            Assert.That(inventory.FirstRecoverabilityPoint, Is.EqualTo(T0.AddMinutes(3)));
            Assert.That(inventory.LastRecoverabilityPoint?.Segment.ToString(), Is.EqualTo(Seg(9)));
            Assert.That(inventory.LastRecoverabilityPoint?.ArchivedAt, Is.EqualTo(T0.AddMinutes(9)));
        }
    }

    [Test]
    public void The_archive_ends_at_the_newest_segment_of_a_timeline_past_any_gap()
    {
        var inventory = Analyse(TwoBackupsAroundAGap());
        using (Assert.EnterMultipleScope())
        {
            Assert.That(inventory.NewestSegment(1).ToString(), Is.EqualTo(Seg(9)));
            Assert.That(inventory.Backups[0].Reach.ToString(), Is.EqualTo(Seg(4)), "the first backup's gap-free reach stops before the gap");
            Assert.That(inventory.NewestSegment(2), Is.Null);
        }
    }

    [Test]
    public void A_backup_without_its_data_archive_reaches_no_recoverability_point_though_its_WAL_is_there()
    {
        var store = TwoBackupsAroundAGap();
        store.Objects.RemoveAll(o => o.Name == "base/B2/data.tar");
        store.Objects.Add(new StoreObject("base/B2/16384.tar", 100, T0.AddMinutes(7)));
        var inventory = Analyse(store);
        var b2 = inventory.Backups.Single(b => b.Id == "B2");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(b2.Reach.ToString(), Is.EqualTo(Seg(9)));
            Assert.That(b2.HasDataArchive, Is.False, "a tablespace archive is not data.tar");
            Assert.That(b2.Restorable, Is.False);
            Assert.That(inventory.LastRecoverabilityPoint?.Segment.ToString(), Is.EqualTo(Seg(4)));
            Assert.That(inventory.Check(b2, RecoveryTarget.Latest()).Single().Message,
                Is.EqualTo("base backup B2 has no data.tar archive under base/B2/ (it holds: 16384.tar (100 bytes))"));
        }
    }

    [Test]
    public void Only_wal_segments_under_wals_count_partial_and_backup_label_files_do_not()
    {
        var store = TwoBackupsAroundAGap();
        store.Objects.Add(Segment(5, suffix: ".partial.gz"));
        store.Objects.Add(Segment(5, suffix: ".00000028.backup.gz"));
        store.Objects.Add(new StoreObject($"base/B1/{Seg(5)}.gz", 16_000, T0.AddMinutes(5)));
        store.Objects.Add(new StoreObject($"base/B1/{Seg(5)}.history", 16_000, T0.AddMinutes(5)));
        var inventory = Analyse(store);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(inventory.Backups[0].FirstGap.ToString(), Is.EqualTo(Seg(5)));
            Assert.That(inventory.HistoryFiles, Is.Empty);
        }
    }

    [Test]
    public void The_segment_size_of_the_first_readable_backup_info_is_used()
    {
        // 1 MB segments: 4096 per WAL "log", so ...00000FFF is followed by ...0000000100000000; with 16 MB ones it would not be.
        var objects = new List<StoreObject>
        {
            new("base/B1/backup.info", 1, T0), new("base/B1/data.tar.gz", 1, T0),
            new("wals/0000000100000000/000000010000000000000FFF.gz", 1, T0.AddMinutes(1)),
            new("wals/0000000100000001/000000010000000100000000.gz", 1, T0.AddMinutes(2)),
        };
        var infos = new Dictionary<string, BackupInfo?>
        {
            ["B0"] = null, ["B1"] = Info("B1", "000000010000000000000FFF", "000000010000000000000FFF", 2, extra: "xlog_segment_size=1048576"),
        };
        var inventory = StoreInventory.Analyse(Location, objects, infos);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(inventory.Backups.Single().Info.SegmentSize, Is.EqualTo(1048576));
            Assert.That(inventory.Backups.Single().Reach.ToString(), Is.EqualTo("000000010000000100000000"));
        }
    }

    [Test]
    public void A_backup_on_a_timeline_without_any_wal_misses_everything_to_consistency()
    {
        var store = TwoBackupsAroundAGap();
        store.Infos["B3"] = Info("B3", Seg(2, timeline: 2), Seg(3, timeline: 2), 10, timeline: 2);
        store.Objects.Add(new StoreObject("base/B3/data.tar.gz", 1, T0.AddMinutes(11)));
        var b3 = Analyse(store).Backups.Single(b => b.Id == "B3");
        Assert.That(b3.MissingToConsistency.Select(s => s.ToString()), Is.EqualTo(new[] { Seg(2, 2), Seg(3, 2) }));
    }

    [Test]
    public void Runs_start_at_the_oldest_backup_on_their_timeline_even_before_the_first_segment()
    {
        var store = TwoBackupsAroundAGap();
        store.Objects.RemoveAll(o => o.Name.EndsWith($"{Seg(2)}.gz", StringComparison.Ordinal) || o.Name.EndsWith($"{Seg(3)}.gz", StringComparison.Ordinal));
        // A backup on another timeline, beginning earlier, does not move timeline 1's start.
        store.Infos["B0"] = Info("B0", Seg(1, timeline: 2), Seg(1, timeline: 2), 0, timeline: 2);
        var inventory = Analyse(store);
        Assert.That(inventory.WalRuns.Select(r => r.ToString()), Is.EqualTo(new[]
        {
            $"timeline 1: {Seg(2)}..{Seg(3)} MISSING (2 segment(s))",
            $"timeline 1: {Seg(4)}..{Seg(4)} found (1 segment(s))",
            $"timeline 1: {Seg(5)}..{Seg(5)} MISSING (1 segment(s))",
            $"timeline 1: {Seg(6)}..{Seg(9)} found (4 segment(s))",
        }));
    }

    [Test]
    public void A_time_target_at_the_moment_the_reach_was_archived_is_not_beyond_the_gap()
    {
        var inventory = Analyse(TwoBackupsAroundAGap());
        var b1 = inventory.Backups[0];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(inventory.Check(b1, RecoveryTarget.Time(T0.AddMinutes(4))).Single().Blocks, Is.False, "segment 4 was archived at 01:04");
            Assert.That(inventory.Check(b1, RecoveryTarget.Time(T0.AddMinutes(4).AddMilliseconds(1))).Single().Blocks, Is.True);
            Assert.That(inventory.Check(b1, RecoveryTarget.Latest()).Single().ToString(), Is.EqualTo(
                $"BLOCKS: WAL gap after base backup B1: segment {Seg(5)} is missing, so recovery stops at {Seg(4)} and the 4 segment(s) archived after the gap are unreachable"));
            Assert.That(inventory.Check(b1, RecoveryTarget.Immediate("B1")).Single().ToString(), Does.StartWith("warning: WAL gap after base backup B1"));
        }
    }

    [Test]
    public void A_failed_backup_is_a_backup_failure_with_barmans_error()
    {
        var store = TwoBackupsAroundAGap();
        store.Infos["B4"] = Info("B4", Seg(8), "", 8, status: "FAILED", extra: "error='failure uploading data (connection reset)'");
        store.Infos["B5"] = Info("B5", Seg(9), "", 9, status: "STARTED");
        var inventory = Analyse(store);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(inventory.Check(inventory.Backups.Single(b => b.Id == "B4"), RecoveryTarget.Latest()).Select(f => f.Message), Does.Contain(
                "base backup B4 is FAILED: failure uploading data (connection reset)"));
            Assert.That(inventory.Check(inventory.Backups.Single(b => b.Id == "B5"), RecoveryTarget.Latest()).Select(f => f.Message), Does.Contain(
                "base backup B5 is STARTED"));
            Assert.That(inventory.Backups.Single(b => b.Id == "B4").Restorable, Is.False);
        }
    }

    [Test]
    public void A_failed_backup_with_its_data_archive_is_still_not_restorable()
    {
        var store = TwoBackupsAroundAGap();
        store.Infos["B1"] = Info("B1", Seg(2), "", 2, status: "FAILED");
        Assert.That(Analyse(store).Backups.Single(b => b.Id == "B1").Restorable, Is.False);
    }

    [Test]
    public void Many_missing_segments_are_named_as_a_range()
    {
        var store = TwoBackupsAroundAGap();
        store.Infos["B1"] = Info("B1", Seg(2), Seg(5), 2);
        store.Objects.RemoveAll(o => o.Name.EndsWith($"{Seg(2)}.gz", StringComparison.Ordinal) || o.Name.EndsWith($"{Seg(3)}.gz", StringComparison.Ordinal)
                                     || o.Name.EndsWith($"{Seg(4)}.gz", StringComparison.Ordinal));
        var inventory = Analyse(store);
        var b1 = inventory.Backups.Single(b => b.Id == "B1");
        var b2 = inventory.Backups.Single(b => b.Id == "B2");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(inventory.Check(b1, RecoveryTarget.Immediate("B1")).Single().Message,
                Is.EqualTo($"WAL needed to make base backup B1 consistent is missing: {Seg(2)} .. {Seg(5)} (4 segments)"));
            b2 = b2 with { MissingToConsistency = [WalSegmentName.Parse(Seg(7)), WalSegmentName.Parse(Seg(8)), WalSegmentName.Parse(Seg(9))] };
            Assert.That(inventory.Check(b2, RecoveryTarget.Immediate("B2")).Single().Message,
                Is.EqualTo($"WAL needed to make base backup B2 consistent is missing: {Seg(7)}, {Seg(8)}, {Seg(9)}"));
        }
    }

    [Test]
    public void The_description_an_auditor_reads()
    {
        var store = TwoBackupsAroundAGap();
        store.Infos["B9"] = null;
        store.Infos["B0"] = null;
        store.Objects.Add(new StoreObject("wals/00000003.history.gz", 60, T0.AddMinutes(12)));
        store.Objects.Add(new StoreObject("wals/00000002.history.gz", 60, T0.AddMinutes(11)));
        store.Objects.Add(Segment(0x0A, timeline: 2));
        var inventory = Analyse(store, new Dictionary<string, string?>
        {
            ["00000003.history.gz"] = "1\t0/6000000\tno recovery target specified\n2\t0/B000000\tx\n",
            ["00000002.history.gz"] = "1\t0/6000000\tno recovery target specified\n",
        });
        Assert.That(inventory.Describe(), Is.EqualTo($"""
            store: {Location}

            base backups (2):
            backup id | status | begin | end | begin WAL | end WAL | timeline | PostgreSQL | data archives | WAL to consistency | reaches without gap
            B1 | DONE | 2026-11-25 01:02:00Z | 2026-11-25 01:03:00Z | {Seg(2)} | {Seg(3)} | 1 | 15 | data.tar.gz (3000000 bytes) | complete | {Seg(4)} (archived 2026-11-25 01:04:00Z)
            B2 | DONE | 2026-11-25 01:06:00Z | 2026-11-25 01:07:00Z | {Seg(6)} | {Seg(6)} | 1 | 15 | data.tar (3100000 bytes) | complete | {Seg(9)} (archived 2026-11-25 01:09:00Z)
            B0 | backup.info unreadable
            B9 | backup.info unreadable

            WAL segments (found / missing):
            timeline 1: {Seg(2)}..{Seg(4)} found (3 segment(s))
            timeline 1: {Seg(5)}..{Seg(5)} MISSING (1 segment(s))
            timeline 1: {Seg(6)}..{Seg(9)} found (4 segment(s))
            timeline 2: {Seg(10, 2)}..{Seg(10, 2)} found (1 segment(s))

            history files: 00000002.history.gz, 00000003.history.gz
            timeline 2 forks from timeline 1 at 0/6000000 (00000002.history.gz)
            timeline 3 forks from timeline 2 at 0/B000000 (00000003.history.gz)
            recovery_target_timeline = latest follows timeline 3: 00000003.history is the newest history file after timeline 1 (no 00000004.history) (from the newest restorable backup B2)
            a restore to latest reads: timeline 1: {Seg(6)}..{Seg(9)} (4 segment(s)); timeline 2: {Seg(10, 2)}..{Seg(10, 2)} (1 segment(s)), ending in {Seg(10, 2)}
            recoverability window: first point 2026-11-25 01:03:00Z; last point: segment {Seg(10, 2)}, archived 2026-11-25 01:10:00Z

            """));
    }

    [Test]
    public void A_fork_whose_child_has_WAL_exactly_from_the_fork_on_is_consistent()
    {
        var store = TwoBackupsAroundAGap();
        store.Objects.Add(Segment(9, timeline: 2));
        store.Objects.Add(Segment(3, timeline: 2));
        var inventory = Analyse(store, new Dictionary<string, string?> { ["00000002.history"] = "1\t0/9000100\tx\n" });
        Assert.That(inventory.TimelineFindings(toLatest: true), Is.Empty, "timeline 2's segment 9 holds the fork point");
    }

    [Test]
    public void A_fork_whose_child_has_WAL_only_before_the_fork_and_a_parent_that_stopped_at_it_is_named_without_segments_past_it()
    {
        var store = TwoBackupsAroundAGap();
        store.Objects.Add(Segment(3, timeline: 2));
        var inventory = Analyse(store, new Dictionary<string, string?> { ["00000002.history"] = "1\t0/9000100\tx\n" });
        Assert.That(inventory.TimelineFindings(toLatest: true).Single().ToString(), Is.EqualTo(
            $"BLOCKS: timeline 2 forks from timeline 1 at 0/9000100 (00000002.history), but the store holds no WAL of timeline 2 from there on (its first segment would be {Seg(9, 2)})"));
    }

    /// <summary>The archive's end a restore to latest must reach is on the timeline latest follows, not the backup's.</summary>
    [Test]
    public void Latest_must_reach_the_newest_segment_of_the_timeline_it_follows()
    {
        var store = TwoBackupsAroundAGap();
        foreach (var n in new[] { 9, 10, 11 }) store.Objects.Add(Segment(n, timeline: 2));
        var inventory = Analyse(store, new Dictionary<string, string?> { ["00000002.history"] = "1\t0/9000100\tx\n" });
        var b2 = inventory.Backups.Single(b => b.Id == "B2");
        var shortOnTheChild = ArchiveEndCheck.Evaluate(inventory, b2, new ReplayEnd(2, WalPosition.Parse("0/A000100")), "")!;
        var atTheChildsEnd = ArchiveEndCheck.Evaluate(inventory, b2, new ReplayEnd(2, WalPosition.Parse("0/B000100")), "")!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(inventory.LatestTimeline(1), Is.EqualTo(2u));
            Assert.That(inventory.LatestTimeline(2), Is.EqualTo(2u));
            Assert.That(inventory.ArchiveEnd(b2), Is.EqualTo(WalSegmentName.Parse(Seg(11, 2))));
            Assert.That(shortOnTheChild.Passed, Is.False);
            Assert.That(shortOnTheChild.Detail, Does.StartWith($"replay ended at 0/A000100 on timeline 2, in {Seg(10, 2)}, short of the archive's end {Seg(11, 2)}"));
            Assert.That(atTheChildsEnd.Passed, Is.True, atTheChildsEnd.Detail);
        }
    }

    /// <summary>
    /// A history file forking into no WAL: replay follows it and ends on the new timeline, which alone would read as
    /// "followed a later timeline". The fork is the finding.
    /// </summary>
    [Test]
    public void A_restore_to_latest_that_turned_at_a_fork_into_no_WAL_fails_naming_the_fork_and_where_replay_ended()
    {
        var inventory = Analyse(TwoBackupsAroundAGap(), new Dictionary<string, string?> { ["00000002.history"] = "1\t0/7000000\tby hand\n" });
        var b2 = inventory.Backups.Single(b => b.Id == "B2");
        var check = ArchiveEndCheck.Evaluate(inventory, b2, new ReplayEnd(2, WalPosition.Parse("0/7000000")), "")!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(check.Passed, Is.False);
            Assert.That(CheckVerdict.Cause([check]), Is.EqualTo(FailureCause.WalArchivingFailed));
            Assert.That(check.Detail, Is.EqualTo(
                $"timeline 2 forks from timeline 1 at 0/7000000 (00000002.history), but the store holds no WAL of timeline 2 from there on (its first segment would be {Seg(7, 2)}), " +
                "while timeline 1 archived 3 segment(s) past the fork: the store's timelines disagree about what follows the fork (a restore to latest follows timeline 2 and replays timeline 1's segments as its own only while timeline 2 has none); replay ended at 0/7000000 on timeline 2"));
        }
    }

    [Test]
    public void A_store_without_WAL_for_the_backup_has_no_archive_end_to_check()
    {
        var store = TwoBackupsAroundAGap();
        store.Objects.RemoveAll(o => o.Name.StartsWith("wals/", StringComparison.Ordinal));
        var inventory = Analyse(store);
        Assert.That(ArchiveEndCheck.Evaluate(inventory, inventory.Backups.Single(b => b.Id == "B2"), new ReplayEnd(1, WalPosition.Parse("0/6000100")), ""), Is.Null);
    }

    [Test]
    public void A_finding_reads_as_blocking_or_as_a_warning()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(new InventoryFinding(FailureCause.BackupFailed, "m", true).ToString(), Is.EqualTo("BLOCKS: m"));
            Assert.That(new InventoryFinding(FailureCause.BackupFailed, "m", false).ToString(), Is.EqualTo("warning: m"));
        }
    }
}
