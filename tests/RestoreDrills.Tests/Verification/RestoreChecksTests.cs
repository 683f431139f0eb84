namespace RestoreDrills.Tests.Verification;

/// <summary>Each check passes on a faithful restore and fails, naming the fault, on the fault it exists for.</summary>
public sealed class RestoreChecksTests
{
    private static readonly DateTime T = new(2026, 1, 1, 12, 0, 0);
    private static readonly PreTargetMarkers Markers = new([8, 9], 728);
    private static readonly PostTargetChanges Changes = new(InsertedIds: [10, 11], UpdatedIds: [6], DeletedIds: [7]);

    private static List<BackupTestRow> ExpectedRows() =>
    [
        .. BackupTestSeed.CanonicalNames.Select((n, i) => new BackupTestRow(i + 1, n, T)),
        new(6, "generated a", T), new(7, "generated b", T), new(8, "drill:x:before-target:1", T), new(9, "drill:x:before-target:2", T),
    ];

    private static TableSnapshot Expected => TableSnapshot.Of(ExpectedRows());

    private static TableSnapshot RestoredWith(Action<List<BackupTestRow>> fault)
    {
        var rows = ExpectedRows();
        fault(rows);
        return TableSnapshot.Of(rows);
    }

    private static IReadOnlyList<CheckResult> AllRowChecks(TableSnapshot restored) =>
    [
        RestoreChecks.CanonicalRowsPresent(restored),
        RestoreChecks.MarkersBeforeTargetPresent(Expected, restored, Markers),
        RestoreChecks.InsertsAfterTargetAbsent(restored, Changes),
        RestoreChecks.UpdatesAfterTargetAbsent(Expected, restored, Changes),
        RestoreChecks.DeletesAfterTargetAbsent(Expected, restored, Changes),
        RestoreChecks.AllRowsEqualSourceAtTarget(RowDifference.Between(Expected, restored), Expected.Rows.Count),
    ];

    [Test]
    public void A_faithful_restore_passes_every_check()
    {
        Assert.That(AllRowChecks(RestoredWith(_ => { })).Where(c => !c.Passed), Is.Empty);
    }

    [Test]
    public void A_missing_canonical_row_is_named()
    {
        var checks = AllRowChecks(RestoredWith(rows => rows.RemoveAll(r => r.Name == "restore_test_entry")));
        Assert.That(checks[0].Passed, Is.False);
        Assert.That(checks[0].Detail, Is.EqualTo("canonical row(s) missing from backup_test: restore_test_entry"));
        Assert.That(checks[5].Detail, Does.Contain("1 row(s) differ (1 missing)").And.Contain("missing id=3"));
    }

    [Test]
    public void A_row_inserted_after_the_target_is_caught()
    {
        var checks = AllRowChecks(RestoredWith(rows => rows.Add(new BackupTestRow(10, "drill:x:after-target:1", T))));
        Assert.That(checks[2].Passed, Is.False);
        Assert.That(checks[2].Detail, Does.Contain("id=10 name=drill:x:after-target:1"));
        Assert.That(checks[5].Detail, Does.Contain("1 extra"));
    }

    [Test]
    public void An_update_after_the_target_that_was_replayed_is_caught()
    {
        var checks = AllRowChecks(RestoredWith(rows => rows[5] = rows[5] with { Name = "generated a (changed after target)" }));
        Assert.That(checks[3].Passed, Is.False);
        Assert.That(checks[3].Detail, Does.Contain("id=6 name=generated a (changed after target)"));
        Assert.That(RowDifference.Between(Expected, RestoredWith(rows => rows[5] = rows[5] with { CreatedAt = T.AddDays(1) }))[0].ChangedColumns,
            Is.EqualTo(new[] { "created_at" }));
    }

    [Test]
    public void A_delete_after_the_target_that_was_replayed_is_caught()
    {
        var checks = AllRowChecks(RestoredWith(rows => rows.RemoveAll(r => r.Id == 7)));
        Assert.That(checks[4].Passed, Is.False);
        Assert.That(checks[4].Detail, Does.Contain("ids 7"));
    }

    [Test]
    public void A_missing_marker_is_caught()
    {
        var checks = AllRowChecks(RestoredWith(rows => rows.RemoveAll(r => r.Id == 9)));
        Assert.That(checks[1].Passed, Is.False);
        Assert.That(checks[1].Detail, Does.Contain("ids 9"));
    }

    [Test]
    public void Differences_are_listed_as_csv_with_the_changed_columns()
    {
        var csv = RowDifference.ToCsv(RowDifference.Between(Expected, RestoredWith(rows => rows[5] = rows[5] with { Name = "x\"y" })));
        Assert.That(csv.Split('\n')[1], Does.StartWith("changed,6,\"name\",\"generated a\"").And.Contain("\"x\"\"y\""));
    }

    /// <summary>Failed before CsvCell: "=HYPERLINK(…)" was written quoted, which a spreadsheet still runs as a formula.</summary>
    [TestCase("=HYPERLINK(\"http://example.invalid\",\"open\")", "\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"open\"\")\"")]
    [TestCase("+1+1", "\"'+1+1\"")]
    [TestCase("-2+3", "\"'-2+3\"")]
    [TestCase("@SUM(A1)", "\"'@SUM(A1)\"")]
    [TestCase("\t=1", "\"'\t=1\"")]
    [TestCase("plain = text", "\"plain = text\"")]
    public void A_restored_value_a_spreadsheet_would_run_is_written_as_text(string restored, string cell)
    {
        var csv = RowDifference.ToCsv(RowDifference.Between(Expected, RestoredWith(rows => rows[5] = rows[5] with { Name = restored })));
        Assert.That(csv.Split('\n')[1], Does.Contain("," + cell + ","));
        var table = new TableRowDifference(restored, DifferenceKind.Extra, "[1]", [], null, "{}");
        Assert.That(TableRowDifference.ToCsv([table]).Split('\n')[1], Does.StartWith(cell + ",extra,"), "a table name from the restored database too");
    }

    [Test]
    public void Timeline_and_archiving_checks_fail_on_their_fault()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RestoreChecks.TimelineAdvanced(1, 2).Passed, Is.True);
            Assert.That(RestoreChecks.TimelineAdvanced(1, 1).Detail, Is.EqualTo("timeline did not advance: source 1, restored 1"));
            Assert.That(RestoreChecks.ArchivingOff("off").Passed, Is.True);
            Assert.That(RestoreChecks.ArchivingOff("on").Passed, Is.False);
        });
    }
}
