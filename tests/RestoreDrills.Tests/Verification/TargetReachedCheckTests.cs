namespace RestoreDrills.Tests.Verification;

/// <summary>
/// A restore to a fixed target stopped at that target, as PostgreSQL says (the lines are PostgreSQL 15's own wording,
/// from drills run here); a replay that ran out of WAL first says nothing of the kind.
/// </summary>
public sealed class TargetReachedCheckTests
{
    private const string Ran = "LOG:  starting point-in-time recovery to 2026-12-02 10:00:00+00\nLOG:  restored log file \"000000010000000000000004\" from archive\n";
    private const string RanOut = Ran + "LOG:  redo done at 0/4000110 system usage: CPU: user: 0.00 s\nLOG:  selected new timeline ID: 2\n";

    private static readonly ReplayEnd End = new(1, WalPosition.Parse("0/4000188"));

    [TestCase(RecoveryTargetKind.Time, "2026-12-02 10:00:00.000000+00", "recovery stopping before commit of transaction 751, time 2026-12-02 10:00:00.5+00")]
    [TestCase(RecoveryTargetKind.Xid, "750", "recovery stopping after commit of transaction 750, time 2026-12-02 09:59:59.9+00")]
    [TestCase(RecoveryTargetKind.Name, "before-upgrade", "recovery stopping at restore point \"before-upgrade\", time 2026-12-02 10:00:00+00")]
    [TestCase(RecoveryTargetKind.Lsn, "0/4000110", "recovery stopping after WAL location (LSN) \"0/4000110\"")]
    [TestCase(RecoveryTargetKind.Immediate, "", "recovery stopping after reaching consistency")]
    public void PostgreSQL_naming_the_target_passes_and_its_line_is_the_evidence(RecoveryTargetKind kind, string value, string stop)
    {
        var check = TargetReachedCheck.Evaluate(new RecoveryTarget(kind, value), End, Ran + "LOG:  " + stop + "\n" + RanOut);
        Assert.Multiple(() =>
        {
            Assert.That(check.Passed, Is.True, check.Detail);
            Assert.That(check.Detail, Does.Contain(stop).And.Contain("replay ended at 0/4000188 on timeline 1"));
        });
    }

    [TestCase(RecoveryTargetKind.Time, "2026-12-02 10:00:00.000000+00")]
    [TestCase(RecoveryTargetKind.Xid, "750")]
    [TestCase(RecoveryTargetKind.Name, "before-upgrade")]
    [TestCase(RecoveryTargetKind.Lsn, "0/4000110")]
    [TestCase(RecoveryTargetKind.Immediate, "")]
    public void Replay_that_ran_out_of_WAL_before_the_target_is_a_WAL_failure(RecoveryTargetKind kind, string value)
    {
        var check = TargetReachedCheck.Evaluate(new RecoveryTarget(kind, value), End, RanOut);
        Assert.Multiple(() =>
        {
            Assert.That(check.Passed, Is.False);
            Assert.That(CheckVerdict.Cause([check]), Is.EqualTo(FailureCause.WalArchivingFailed));
            Assert.That(check.Detail, Does.StartWith("PostgreSQL logged no 'recovery stopping' line for target " + new RecoveryTarget(kind, value))
                .And.EndWith("replay ended without reaching it; replay ended at 0/4000188 on timeline 1"));
        });
    }

    [TestCase(RecoveryTargetKind.Xid, "750", "recovery stopping after commit of transaction 749, time 2026-12-02 09:59:59+00", "transaction 749 is not the target's 750")]
    [TestCase(RecoveryTargetKind.Xid, "750", "recovery stopping after reaching consistency", "transaction (none named) is not the target's 750")]
    [TestCase(RecoveryTargetKind.Name, "before-upgrade", "recovery stopping at restore point \"before-upgrade-2\", time 2026-12-02 10:00:00+00", "not at restore point \"before-upgrade\"")]
    [TestCase(RecoveryTargetKind.Lsn, "0/4000110", "recovery stopping after WAL location (LSN) \"0/4000100\"", "not at WAL location 0/4000110")]
    [TestCase(RecoveryTargetKind.Lsn, "0/4000110", "recovery stopping after reaching consistency", "not at WAL location 0/4000110")]
    [TestCase(RecoveryTargetKind.Immediate, "", "recovery stopping after commit of transaction 749, time 2026-12-02 09:59:59+00", "a restore to immediate stops on reaching consistency")]
    [TestCase(RecoveryTargetKind.Time, "2026-12-02 10:00:00.000000+00", "recovery stopping after reaching consistency", "a restore to a time stops at a transaction's commit or abort")]
    public void A_stop_elsewhere_than_the_target_fails_naming_both(RecoveryTargetKind kind, string value, string stop, string why)
    {
        var check = TargetReachedCheck.Evaluate(new RecoveryTarget(kind, value), End, Ran + "LOG:  " + stop + "\n" + RanOut);
        Assert.Multiple(() =>
        {
            Assert.That(check.Passed, Is.False);
            Assert.That(check.Kind, Is.EqualTo(CheckKind.Wal));
            Assert.That(check.Detail, Is.EqualTo($"recovery stopped elsewhere than target {new RecoveryTarget(kind, value)}: {why}; PostgreSQL: {stop}; replay ended at 0/4000188 on timeline 1"));
        });
    }

    [Test]
    public void A_stop_abort_at_a_time_target_passes()
    {
        var check = TargetReachedCheck.Evaluate(RecoveryTarget.Time(DateTimeOffset.UnixEpoch), null, "LOG:  recovery stopping before abort of transaction 9, time 1970-01-01 00:00:01+00\n");
        Assert.That(check.Passed, Is.True, check.Detail);
    }

    [Test]
    public void The_last_stop_line_counts()
    {
        // A log that holds an earlier run's stop (the same data directory started twice) is judged by its last.
        var log = "LOG:  recovery stopping after commit of transaction 750, time x\nLOG:  recovery stopping after commit of transaction 749, time y\n";
        Assert.That(TargetReachedCheck.Evaluate(new RecoveryTarget(RecoveryTargetKind.Xid, "750"), null, log).Passed, Is.False);
    }

    [TestCase("0/4000110", true, Description = "the fork point is the target")]
    [TestCase("0/4000188", true, Description = "past it: the end of the record at the target")]
    [TestCase("0/4000100", false, Description = "before it")]
    public void An_lsn_target_also_needs_the_replay_end_at_or_past_it(string endedAt, bool passes)
    {
        var check = TargetReachedCheck.Evaluate(RecoveryTarget.Lsn("0/4000110"), new ReplayEnd(1, WalPosition.Parse(endedAt)),
            "LOG:  recovery stopping after WAL location (LSN) \"0/4000110\"\n");
        Assert.That(check.Passed, Is.EqualTo(passes), check.Detail);
        if (!passes) Assert.That(check.Detail, Does.Contain($"replay ended at {endedAt}, before the target 0/4000110"));
    }

    [Test]
    public void Latest_is_not_this_checks_to_judge()
    {
        Assert.Throws<ArgumentException>(() => TargetReachedCheck.Evaluate(RecoveryTarget.Latest(), End, RanOut));
    }
}
