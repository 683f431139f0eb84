namespace RestoreDrills.Tests.Verification;

/// <summary>
/// What each verdict says, word for word: the detail of a check is the evidence an auditor reads, so a check that
/// names the wrong rows, or nothing, is a defect even when it passes or fails rightly (found by mutation testing).
/// </summary>
public sealed class VerdictWordingTests
{
    private static readonly DateTime T = new(2026, 1, 1, 12, 0, 0);

    private static TableSnapshot Rows(params (int Id, string Name)[] rows) =>
        TableSnapshot.Of(rows.Select(r => new BackupTestRow(r.Id, r.Name, T)).ToList());

    private static readonly TableSnapshot Expected = Rows((6, "a"), (7, "b"), (8, "m1"), (9, "m2"));
    private static readonly PreTargetMarkers Markers = new([8, 9], 728);
    private static readonly PostTargetChanges Changes = new(InsertedIds: [10, 11], UpdatedIds: [6], DeletedIds: [7]);

    [Test]
    public void Row_checks_name_the_rows_they_looked_at_when_they_pass()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(RestoreChecks.CanonicalRowsPresent(TableSnapshot.Of(BackupTestSeed.CanonicalNames.Select((n, i) => new BackupTestRow(i + 1, n, T)).ToList())).Detail,
                Is.EqualTo(string.Join(", ", BackupTestSeed.CanonicalNames)));
            Assert.That(RestoreChecks.MarkersBeforeTargetPresent(Expected, Expected, Markers).Detail, Is.EqualTo("ids 8, 9"));
            Assert.That(RestoreChecks.InsertsAfterTargetAbsent(Expected, Changes).Detail, Is.EqualTo("ids 10, 11 absent"));
            Assert.That(RestoreChecks.UpdatesAfterTargetAbsent(Expected, Expected, Changes).Detail, Is.EqualTo("ids 6 unchanged"));
            Assert.That(RestoreChecks.DeletesAfterTargetAbsent(Expected, Expected, Changes).Detail, Is.EqualTo("ids 7 present"));
        }
    }

    [Test]
    public void Row_checks_name_the_faulty_rows_when_they_fail()
    {
        var restored = Rows((6, "changed"), (8, "m1"), (10, "after"), (11, "after too"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(RestoreChecks.CanonicalRowsPresent(restored).Detail,
                Is.EqualTo("canonical row(s) missing from backup_test: " + string.Join(", ", BackupTestSeed.CanonicalNames)));
            Assert.That(RestoreChecks.MarkersBeforeTargetPresent(Expected, restored, Markers).Detail,
                Is.EqualTo("marker row(s) written before the target missing or altered: ids 9"));
            Assert.That(RestoreChecks.InsertsAfterTargetAbsent(restored, Changes).Detail,
                Is.EqualTo($"row(s) inserted after the target are present: {restored.Rows[10]}; {restored.Rows[11]}"));
            Assert.That(RestoreChecks.UpdatesAfterTargetAbsent(Expected, restored, Changes).Detail,
                Is.EqualTo($"row(s) do not hold their values at the target: {restored.Rows[6]}"));
            Assert.That(RestoreChecks.UpdatesAfterTargetAbsent(Expected, Rows((8, "m1")), Changes).Detail,
                Is.EqualTo("row(s) do not hold their values at the target: id=6 missing"));
            Assert.That(RestoreChecks.DeletesAfterTargetAbsent(Expected, restored, Changes).Detail,
                Is.EqualTo("row(s) deleted after the target are missing or altered: ids 7"));
        }
    }

    private static TableVerification Table(long expected, long restored, string expectedPrint, string restoredPrint,
        IReadOnlyList<TableRowDifference>? differences = null, string note = "", string? error = null) =>
        new("public.t", "primary key ranges", expected, restored, expectedPrint, restoredPrint, differences ?? [], note, error, TimeSpan.FromMilliseconds(1234));

    private static readonly TableRowDifference Changed = new("public.t", DifferenceKind.Changed, "[1]", ["name", "qty"], "{}", "{}");
    private static readonly TableRowDifference Missing = new("public.t", DifferenceKind.Missing, "[2]", [], "{}", null);

    [Test]
    public void A_table_is_equal_only_with_no_error_the_same_count_and_the_same_fingerprint()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Table(3, 3, "f", "f").Equal, Is.True);
            Assert.That(Table(3, 4, "f", "f").Equal, Is.False, "counts differ");
            Assert.That(Table(3, 3, "f", "g").Equal, Is.False, "fingerprints differ");
            Assert.That(Table(3, 3, "f", "f", error: "cannot read").Equal, Is.False, "an error");
        }
    }

    [Test]
    public void A_table_line_and_summary_say_what_differs()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Table(3, 3, "f", "f").ToCsvLine(), Is.EqualTo("\"public.t\",primary key ranges,3,3,yes,0,0,0,f,f,1.234,\"\""));
            Assert.That(Table(3, 2, "f", "g", [Changed, Missing], note: "narrowed").ToCsvLine(),
                Is.EqualTo("\"public.t\",primary key ranges,3,2,no,1,0,1,f,g,1.234,\"narrowed\""));
            Assert.That(Table(3, 0, "f", "", error: "42P01 no such table", note: "n").ToCsvLine(),
                Is.EqualTo("\"public.t\",primary key ranges,3,0,no,0,0,0,f,,1.234,\"42P01 no such table n\""));
            Assert.That(Table(3, 3, "f", "f").Summary(), Is.EqualTo("public.t: 3 rows equal"));
            Assert.That(Table(3, 0, "f", "", error: "42P01 no such table").Summary(), Is.EqualTo("public.t: 42P01 no such table"));
            Assert.That(Table(3, 2, "f", "g", [Changed, Missing], note: "narrowed").Summary(),
                Is.EqualTo("public.t: 3 rows expected, 2 restored; 1 missing, 1 changed, e.g. changed public.t [1] (name, qty); missing public.t [2] (narrowed)"));
            Assert.That(Table(3, 3, "f", "g").Summary(), Is.EqualTo("public.t: 3 rows expected, 3 restored; fingerprints differ, no differing row identified"));
        }
    }

    [Test]
    public void The_report_counts_rows_over_every_table_and_names_what_differs()
    {
        var physical = new PhysicalCheckResult(4, 5, []);
        var clean = new VerificationReport(VerificationScope.AllTables, [Table(3, 3, "f", "f"), Table(4, 4, "h", "h")], [], physical, TimeSpan.Zero);
        var broken = new VerificationReport(VerificationScope.AllTables, [Table(3, 3, "f", "g"), Table(4, 4, "h", "h")], ["index x missing", "column y"], physical, TimeSpan.Zero);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(clean.Checks()[0].Detail, Does.EndWith(", 7 rows, 0 differences"));
            Assert.That(broken.Checks()[0].Detail, Is.EqualTo("1 of 2 table(s) differ: public.t: 3 rows expected, 3 restored; fingerprints differ, no differing row identified"));
            Assert.That(broken.Checks()[1].Detail, Is.EqualTo("2 difference(s): index x missing | column y"));
        }
    }

    [Test]
    public void The_failure_that_names_the_category_comes_first_in_the_message()
    {
        IReadOnlyList<CheckResult> checks =
        [
            CheckResult.Fail(CheckKind.Budget, "rto", "slow"), CheckResult.Fail(CheckKind.Integrity, "rows", "3 missing"),
            CheckResult.Pass(CheckKind.Restore, "promoted", "yes"), CheckResult.Fail(CheckKind.Wal, "archive end", "short"),
        ];
        Assert.That(CheckVerdict.Message(checks), Is.EqualTo("3 of 4 checks failed:\n- archive end: short\n- rows: 3 missing\n- rto: slow"));
    }

    [Test]
    public void No_failure_has_no_message_and_no_cause()
    {
        var passed = new[] { CheckResult.Pass(CheckKind.Integrity, "n", "d") };
        using (Assert.EnterMultipleScope())
        {
            Assert.That(CheckVerdict.Message(passed), Is.Empty);
            Assert.That(CheckVerdict.Cause(passed), Is.Null);
        }
    }

    [Test]
    public void An_archive_end_reached_says_where_and_a_short_one_with_a_silent_log_says_so()
    {
        var reach = WalSegmentName.Parse("000000010000000000000007");
        var passed = ArchiveEndCheck.Evaluate(reach, new ReplayEnd(1, WalPosition.Parse("0/7000110")), WalSegmentName.DefaultSegmentSize, "");
        var silent = ArchiveEndCheck.Evaluate(reach, new ReplayEnd(1, WalPosition.Parse("0/5000110")), WalSegmentName.DefaultSegmentSize, "LOG:  database system is ready\n");
        var spaced = ArchiveEndCheck.Evaluate(reach, new ReplayEnd(1, WalPosition.Parse("0/5000110")), WalSegmentName.DefaultSegmentSize,
            "\n\n   LOG:  redo done at 0/5000110   \n");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(passed.Detail, Is.EqualTo("replay ended at 0/7000110 on timeline 1, in 000000010000000000000007; the archive holds WAL from the backup to 000000010000000000000007"));
            Assert.That(silent.Detail, Does.EndWith("the first segment not replayed is 000000010000000000000006; PostgreSQL logged nothing about it (it promotes quietly when WAL runs out)"));
            Assert.That(spaced.Detail, Does.EndWith("; PostgreSQL: LOG:  redo done at 0/5000110"));
        }
    }

    [Test]
    public void Replay_that_ended_exactly_at_a_segment_boundary_read_the_segment_before()
    {
        Assert.That(new ReplayEnd(1, WalPosition.Parse("0/5000000")).LastSegment(WalSegmentName.DefaultSegmentSize).ToString(), Is.EqualTo("000000010000000000000004"));
    }

    [Test]
    public void A_target_check_without_a_replay_end_says_only_what_PostgreSQL_said()
    {
        var check = TargetReachedCheck.Evaluate(RecoveryTarget.Immediate("B1"), null, "LOG:  recovery stopping after reaching consistency\n");
        Assert.That(check.Detail, Is.EqualTo("PostgreSQL: recovery stopping after reaching consistency"));
        Assert.That(Assert.Throws<ArgumentException>(() => TargetReachedCheck.Evaluate(RecoveryTarget.Latest(), null, ""))!.Message,
            Does.StartWith("a restore to latest has no target to stop at: use ArchiveEndCheck"));
    }

    [Test]
    public void Segment_names_past_the_first_log_file_count_on()
    {
        var name = WalSegmentName.Parse("000000010000000200000003");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(name.Ordinal(), Is.EqualTo(2 * 256 + 3));
            Assert.That(new WalPosition(name.StartLsn()).ToString(), Is.EqualTo("2/3000000"));
            Assert.That(Assert.Throws<FormatException>(() => WalSegmentName.Parse("00000001000000020000000"))!.Message,
                Is.EqualTo("'00000001000000020000000' is not a WAL segment name (24 hex digits)"));
        }
    }

    [Test]
    public void A_history_line_without_a_reason_parses_and_bad_ones_say_why()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(TimelineFork.Parse("00000002.history", "1\t0/3000000\n").ForkPoint.ToString(), Is.EqualTo("0/3000000"));
            Assert.That(Assert.Throws<FormatException>(() => TimelineFork.Parse("00000002.history", "2\t0/3000000\tx\n"))!.Message,
                Is.EqualTo("00000002.history: timeline 2 cannot fork from timeline 2"));
            Assert.That(Assert.Throws<FormatException>(() => TimelineFork.Parse("00000002.history", "# only a comment\n"))!.Message,
                Is.EqualTo("00000002.history: no timeline line"));
            Assert.That(Assert.Throws<FormatException>(() => TimelineFork.Parse("2.history", "1\t0/3000000\n"))!.Message,
                Is.EqualTo("2.history: not a history file name (8 hex digits, then .history)"));
        }
    }

    [Test]
    public void A_backup_info_of_a_backup_that_never_finished_needs_no_end_and_a_missing_key_is_named()
    {
        var failed = BackupInfo.Parse("B1", "status=FAILED\nbegin_time=2026-11-25 01:02:00+00:00\nbegin_wal=000000010000000000000002\ntimeline=1\nversion=150018\n");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failed.Backup.EndWal, Is.Empty);
            Assert.That(failed.Backup.EndLsn, Is.Empty);
            Assert.That(failed.SegmentSize, Is.EqualTo(WalSegmentName.DefaultSegmentSize));
            Assert.That(Assert.Throws<FormatException>(() => BackupInfo.Parse("B2", "status=DONE\n"))!.Message, Is.EqualTo("backup.info of B2 has no begin_time"));
        }
    }
}
