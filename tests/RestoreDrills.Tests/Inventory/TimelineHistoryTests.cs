namespace RestoreDrills.Tests.Inventory;

/// <summary>The timeline history of a store: every history file against the WAL, and which timeline latest follows.</summary>
public sealed class TimelineHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 1, 0, 0, TimeSpan.Zero);

    /// <summary>Backup on timeline 1 (segments 2..3), timeline 1 archived to segment <paramref name="lastOnOne"/>, timeline 2 from <paramref name="firstOnTwo"/> to 8.</summary>
    private static StoreInventory Store(int lastOnOne, int? firstOnTwo, params (string File, string? Text)[] histories)
    {
        var objects = new List<StoreObject>
        {
            new("base/B1/backup.info", 1154, T0), new("base/B1/data.tar.gz", 3_000_000, T0),
        };
        for (var n = 1; n <= lastOnOne; n++) objects.Add(new StoreObject($"wals/0000000100000000/00000001000000000000000{n}.gz", 16_000, T0.AddMinutes(n)));
        if (firstOnTwo is { } from)
            for (var n = from; n <= 8; n++) objects.Add(new StoreObject($"wals/0000000200000000/00000002000000000000000{n}.gz", 16_000, T0.AddMinutes(10 + n)));
        foreach (var (file, _) in histories) objects.Add(new StoreObject($"wals/{file}", 60, T0.AddMinutes(9)));
        var info = BackupInfo.Parse("B1", """
            begin_time=2026-11-25 01:02:00+00:00
            begin_wal=000000010000000000000002
            end_time=2026-11-25 01:03:00+00:00
            end_wal=000000010000000000000003
            end_xlog=0/3000100
            status=DONE
            timeline=1
            version=150018
            xlog_segment_size=16777216
            """);
        return StoreInventory.Analyse("http://azurite/srv", objects, new Dictionary<string, BackupInfo?> { ["B1"] = info },
            histories.ToDictionary(h => h.File, h => h.Text));
    }

    [Test]
    public void A_switchover_with_WAL_on_both_sides_of_the_fork_is_consistent_and_latest_follows_the_new_timeline()
    {
        var inventory = Store(lastOnOne: 5, firstOnTwo: 5, ("00000002.history.gz", "1\t0/5000110\tno recovery target specified\n"));
        Assert.Multiple(() =>
        {
            Assert.That(inventory.Forks.Single().ToString(), Is.EqualTo("timeline 2 forks from timeline 1 at 0/5000110 (00000002.history.gz)"));
            Assert.That(inventory.TimelineFindings(toLatest: true), Is.Empty);
            Assert.That(inventory.Describe(), Does.Contain("recovery_target_timeline = latest follows timeline 2: 00000002.history is the newest history file after timeline 1 (no 00000003.history)"));
        });
    }

    [Test]
    public void Without_history_files_latest_stays_on_the_backups_timeline()
    {
        Assert.That(Store(lastOnOne: 8, firstOnTwo: null).Describe(), Does.Contain("recovery_target_timeline = latest stays on timeline 1: the store has no 00000002.history"));
    }

    /// <summary>Failed before: history files were listed by name only; a fork into nothing left a restore to latest short without a word.</summary>
    [Test]
    public void A_timeline_declared_without_WAL_of_its_own_blocks_a_restore_to_latest_and_names_what_its_parent_archived_past_the_fork()
    {
        var inventory = Store(lastOnOne: 8, firstOnTwo: null, ("00000002.history.gz", "1\t0/4000000\tpromoted by hand\n"));
        var finding = inventory.TimelineFindings(toLatest: true).Single();
        Assert.Multiple(() =>
        {
            Assert.That(finding.Blocks, Is.True);
            Assert.That(finding.Cause, Is.EqualTo(FailureCause.WalArchivingFailed));
            Assert.That(finding.Message, Is.EqualTo("timeline 2 forks from timeline 1 at 0/4000000 (00000002.history.gz), but the store holds no WAL of timeline 2 from there on " +
                                                    "(its first segment would be 000000020000000000000004), while timeline 1 archived 5 segment(s) past the fork: " +
                                                    "the store's timelines disagree about what follows the fork (a restore to latest follows timeline 2 and replays timeline 1's segments as its own only while timeline 2 has none)"));
            Assert.That(inventory.TimelineFindings(toLatest: false).Single().Blocks, Is.False, "a fixed target before the fork is not blocked");
            Assert.That(inventory.Check(inventory.Backups.Single(), RecoveryTarget.Latest()), Has.Some.Matches<InventoryFinding>(f => f.Blocks && f.Message.Contains("no WAL of timeline 2")));
        });
    }

    /// <summary>
    /// Segment 5 lies before the fork at 0/6000000 and the store lacks it on every timeline: replay ends in 4, and the new
    /// timeline's 6..8 are WAL it never reads. Failed before as "the parent's segment … at the fork is not in the store",
    /// a rule that also failed every healthy promotion, whose parent archives its fork segment only as .partial.
    /// </summary>
    [Test]
    public void A_segment_missing_before_a_fork_is_named_with_the_new_timelines_WAL_a_restore_to_latest_would_not_read()
    {
        var gap = Store(lastOnOne: 4, firstOnTwo: 6, ("00000002.history.gz", "1\t0/6000000\tx\n"));
        Assert.That(gap.TimelineFindings(true), Is.Empty, "the history agrees with the WAL: timeline 2 has its own from the fork on");
        Assert.That(gap.LatestFindings(gap.Backups.Single()).Single(f => f.Blocks).Message, Is.EqualTo(
            "a restore to latest from backup B1 follows timeline 2 and ends in 000000010000000000000004, but the store holds 3 segment(s) it would not read: " +
            "timeline 2: 000000020000000000000006..000000020000000000000008 (3 segment(s))"));
        Assert.That(Store(lastOnOne: 5, firstOnTwo: 6, ("00000002.history.gz", "1\t0/6000000\tx\n")).LatestFindings(gap.Backups.Single()), Is.Empty, "segment 5 is there");
    }

    [TestCase("garbage\n", "00000002.history.gz: 'garbage' is not 'parent timeline, switch point, reason'")]
    [TestCase("1\tnot-an-lsn\tx\n", "00000002.history.gz: 'not-an-lsn' is not a WAL position")]
    [TestCase("3\t0/5000000\tx\n", "00000002.history.gz: timeline 2 cannot fork from timeline 3")]
    [TestCase(null, "00000002.history.gz cannot be read")]
    public void A_history_file_that_does_not_parse_is_a_finding(string? text, string problem)
    {
        var inventory = Store(lastOnOne: 8, firstOnTwo: null, ("00000002.history.gz", text));
        Assert.That(inventory.TimelineFindings(toLatest: true).Select(f => f.Message), Is.EqualTo(new[] { "history file: " + problem }));
    }
}
