namespace RestoreDrills.Tests.Verification;

/// <summary>A restore to latest against the archive's end (the real-store fault is in ExistingStoreTests).</summary>
public sealed class ArchiveEndCheckTests
{
    private static readonly WalSegmentName Reach = WalSegmentName.Parse("000000010000000000000007");

    [TestCase("1\t0/5000110\tno recovery target specified\n", 1u, "0/5000110")]
    [TestCase("1\t0/3000000\tbefore 2026-12-02 10:00:00+00\n\n2\t0/7000A8\tno recovery target specified\n", 2u, "0/7000A8")]
    public void The_replay_end_is_the_last_line_of_the_promoted_timelines_history(string history, uint timeline, string lsn)
    {
        Assert.That(ReplayEnd.FromHistory(history, "00000003.history"), Is.EqualTo(new ReplayEnd(timeline, WalPosition.Parse(lsn))));
    }

    [Test]
    public void A_history_file_without_a_timeline_line_is_refused()
    {
        Assert.Throws<FormatException>(() => ReplayEnd.FromHistory("# nothing\n", "00000002.history"));
    }

    [TestCase("0/7000110", Description = "inside the reach's segment")]
    [TestCase("0/8000000", Description = "at its end, after a WAL switch")]
    [TestCase("0/9000028", Description = "past it (a segment the inventory did not count)")]
    public void Replay_that_reached_the_archives_end_passes(string lsn)
    {
        var check = ArchiveEndCheck.Evaluate(Reach, new ReplayEnd(1, WalPosition.Parse(lsn)), WalSegmentName.DefaultSegmentSize, "");
        Assert.That(check.Passed, Is.True, check.Detail);
    }

    [Test]
    public void Replay_that_followed_a_later_timeline_to_the_archives_end_passes()
    {
        var check = ArchiveEndCheck.Evaluate(Reach, new ReplayEnd(2, WalPosition.Parse("0/7000110")), WalSegmentName.DefaultSegmentSize, "");
        Assert.That(check.Passed, Is.True, check.Detail);
    }

    /// <summary>
    /// Failed before (passed whenever replay ended on a later timeline): a later timeline continues the same positions, so
    /// WAL an earlier one archived past where replay ended is WAL the restore did not replay.
    /// </summary>
    [Test]
    public void Replay_on_a_later_timeline_that_ends_before_what_an_earlier_one_archived_is_short()
    {
        var check = ArchiveEndCheck.Evaluate(Reach, new ReplayEnd(2, WalPosition.Parse("0/5000110")), WalSegmentName.DefaultSegmentSize, "");
        Assert.That(check.Passed, Is.False);
        Assert.That(check.Detail, Does.StartWith("replay ended at 0/5000110 on timeline 2, in 000000020000000000000005, short of the archive's end 000000010000000000000007"));
    }

    /// <summary>A restore that stayed on an older timeline than the archive's end did not follow the newer one (a lost history file).</summary>
    [Test]
    public void Replay_that_stayed_on_an_older_timeline_than_the_archives_end_names_both_timelines()
    {
        var check = ArchiveEndCheck.Evaluate(WalSegmentName.Parse("000000020000000000000005"), new ReplayEnd(1, WalPosition.Parse("0/50000A0")),
            WalSegmentName.DefaultSegmentSize, "");
        Assert.That(check.Passed, Is.False);
        Assert.That(check.Detail, Is.EqualTo("replay ended at 0/50000A0 on timeline 1, in 000000010000000000000005, and stayed on timeline 1: the archive's end " +
                                             "000000020000000000000005 is on timeline 2, which the restore did not follow (recovery_target_timeline = latest " +
                                             "follows only the history files it finds: is 00000002.history in the store?)"));
    }

    [Test]
    public void Replay_that_ended_short_is_a_WAL_failure_naming_the_last_segment_replayed_the_first_not_and_what_PostgreSQL_said()
    {
        const string log = "LOG:  restored log file \"000000010000000000000004\" from archive\n" +
                           "LOG:  unexpected pageaddr 0/2000000 in log segment 000000010000000000000005, offset 0\n" +
                           "LOG:  redo done at 0/4000110 system usage: CPU: user: 0.00 s\n" +
                           "LOG:  selected new timeline ID: 2\n";
        var check = ArchiveEndCheck.Evaluate(Reach, new ReplayEnd(1, WalPosition.Parse("0/4000188")), WalSegmentName.DefaultSegmentSize, log);
        Assert.Multiple(() =>
        {
            Assert.That(check.Passed, Is.False);
            Assert.That(CheckVerdict.Cause([check]), Is.EqualTo(FailureCause.WalArchivingFailed));
            Assert.That(check.Detail, Is.EqualTo(
                "replay ended at 0/4000188 on timeline 1, in 000000010000000000000004, short of the archive's end 000000010000000000000007: " +
                "the first segment not replayed is 000000010000000000000005; PostgreSQL: " +
                "LOG:  unexpected pageaddr 0/2000000 in log segment 000000010000000000000005, offset 0 | LOG:  redo done at 0/4000110 system usage: CPU: user: 0.00 s"));
        });
    }

    [Test]
    public void A_short_replay_outranks_the_rows_it_lacks()
    {
        var shortReplay = ArchiveEndCheck.Evaluate(Reach, new ReplayEnd(1, WalPosition.Parse("0/4000188")), WalSegmentName.DefaultSegmentSize, "");
        var missingRows = CheckResult.Fail(CheckKind.Integrity, "the recorded marker rows are restored", "id=5006 missing");
        Assert.That(CheckVerdict.Cause([missingRows, shortReplay]), Is.EqualTo(FailureCause.WalArchivingFailed));
    }

    [Test]
    public void A_first_segment_not_replayed_that_the_store_lacks_is_named_as_missing()
    {
        var gap = WalSegmentName.Parse("000000010000000000000005");
        var check = ArchiveEndCheck.Evaluate(Reach, new ReplayEnd(1, WalPosition.Parse("0/4000188")), WalSegmentName.DefaultSegmentSize, "", missingFromStore: gap);
        var elsewhere = ArchiveEndCheck.Evaluate(Reach, new ReplayEnd(1, WalPosition.Parse("0/4000188")), WalSegmentName.DefaultSegmentSize, "",
            missingFromStore: WalSegmentName.Parse("000000010000000000000006"));
        Assert.Multiple(() =>
        {
            Assert.That(check.Detail, Does.Contain("the first segment not replayed is 000000010000000000000005 (missing from the store);"));
            Assert.That(elsewhere.Detail, Does.Contain("the first segment not replayed is 000000010000000000000005;"), "a gap further on is not this one");
        });
    }
}
