namespace RestoreDrills.Tests.Verification;

/// <summary>
/// What the report promises an auditor, word for word: the names of the proofs, what a passing proof says it
/// saw, the CSV columns; and the edges of backup selection (found by mutation testing: scripts/mutation).
/// </summary>
public sealed class VerificationContractTests
{
    private static readonly DateTime T = new(2026, 1, 1, 12, 0, 0);

    private static TableSnapshot Snapshot(params int[] ids) =>
        TableSnapshot.Of(BackupTestSeed.CanonicalNames.Select((n, i) => new BackupTestRow(i + 1, n, T))
            .Concat(ids.Select(id => new BackupTestRow(id, $"row {id}", T))));

    [Test]
    public void Each_row_proof_has_its_name_and_says_what_it_saw()
    {
        var expected = Snapshot(6, 7, 8);
        var markers = new PreTargetMarkers([8], 1);
        var changes = new PostTargetChanges([9], [6], [7]);
        var checks = new[]
        {
            RestoreChecks.CanonicalRowsPresent(expected),
            RestoreChecks.MarkersBeforeTargetPresent(expected, expected, markers),
            RestoreChecks.InsertsAfterTargetAbsent(expected, changes),
            RestoreChecks.UpdatesAfterTargetAbsent(expected, expected, changes),
            RestoreChecks.DeletesAfterTargetAbsent(expected, expected, changes),
            RestoreChecks.AllRowsEqualSourceAtTarget([], expected.Rows.Count),
            RestoreChecks.TimelineAdvanced(1, 2),
            RestoreChecks.ArchivingOff("off"),
        };
        Assert.That(checks.Select(c => c.ToString()), Is.EqualTo(new[]
        {
            "PASS the five canonical rows are present: test_user_amine, backup_validation_data, restore_test_entry, working_backup_system, clean_storage_success",
            "PASS every marker row written before the target is restored: ids 8",
            "PASS rows inserted after the target are absent: ids 9 absent",
            "PASS rows updated after the target keep their values at the target: ids 6 unchanged",
            "PASS rows deleted after the target are still there: ids 7 present",
            "PASS backup_test equals the source at the target, row by row: 8 rows compared, 0 differences",
            "PASS the restored server was promoted onto a new timeline: timeline 1 -> 2",
            "PASS the restored server does not archive (never writes into the source's archive): archive_mode = off",
        }));
    }

    [Test]
    public void Failing_row_proofs_keep_their_names()
    {
        var expected = Snapshot(6, 7, 8);
        var restored = Snapshot(9);
        var changes = new PostTargetChanges([9], [6], [7]);
        var checks = new[]
        {
            RestoreChecks.MarkersBeforeTargetPresent(expected, restored, new PreTargetMarkers([8], 1)),
            RestoreChecks.InsertsAfterTargetAbsent(restored, changes),
            RestoreChecks.UpdatesAfterTargetAbsent(expected, restored, changes),
            RestoreChecks.DeletesAfterTargetAbsent(expected, restored, changes),
            RestoreChecks.AllRowsEqualSourceAtTarget(RowDifference.Between(expected, restored), expected.Rows.Count),
            RestoreChecks.TimelineAdvanced(2, 1),
            RestoreChecks.ArchivingOff("always"),
        };
        Assert.That(checks.Select(c => c.ToString()), Is.EqualTo(new[]
        {
            "FAIL every marker row written before the target is restored: marker row(s) written before the target missing or altered: ids 8",
            "FAIL rows inserted after the target are absent: row(s) inserted after the target are present: id=9 name=row 9 created_at=2026-01-01 12:00:00.000000",
            "FAIL rows updated after the target keep their values at the target: row(s) do not hold their values at the target: id=6 missing",
            "FAIL rows deleted after the target are still there: row(s) deleted after the target are missing or altered: ids 7",
            "FAIL backup_test equals the source at the target, row by row: 4 row(s) differ (3 missing, 1 extra) of 8 expected, e.g. missing id=6; missing id=7; missing id=8",
            "FAIL the restored server was promoted onto a new timeline: timeline did not advance: source 2, restored 1",
            "FAIL the restored server does not archive (never writes into the source's archive): archive_mode = always",
        }));
    }

    [Test]
    public void Budget_proofs_name_each_measure()
    {
        var budgets = new DrillBudgets { Backup = TimeSpan.FromSeconds(10), Rto = TimeSpan.FromSeconds(20), Rpo = TimeSpan.FromSeconds(1), WalArchiveLag = TimeSpan.FromSeconds(5) };
        Assert.That(BudgetChecks.Evaluate(new DrillTimings(11, 6, 1, 2, 0.5), budgets).Select(c => c.ToString()), Is.EqualTo(new[]
        {
            "FAIL backup duration within budget: backup duration 11.000 s exceeds the budget of 10 s (RESTOREDRILLS_BUDGET_BACKUP_SECONDS)",
            "FAIL WAL archive lag within budget: WAL archive lag 6.000 s exceeds the budget of 5 s (RESTOREDRILLS_BUDGET_WAL_ARCHIVE_LAG_SECONDS)",
            "PASS RTO (download to promoted) within budget: 2.000 s <= 20 s",
            "PASS RPO (target vs last replayed commit) within budget: 0.500 s <= 1 s",
        }));
        Assert.That(BudgetChecks.Evaluate(new DrillTimings(1, 1, 1, 1, 2), budgets)[3].ToString(),
            Is.EqualTo("FAIL RPO (target vs last replayed commit) within budget: RPO (target vs last replayed commit) 2.000 s exceeds the budget of 1 s (RESTOREDRILLS_BUDGET_RPO_SECONDS)"));
    }

    [Test]
    public void Differences_are_ordered_by_id_and_a_missing_row_has_no_changed_columns()
    {
        var differences = RowDifference.Between(
            TableSnapshot.Of([new BackupTestRow(7, "row 7", T)]), TableSnapshot.Of([new BackupTestRow(3, "restore_test_entry", T)]));
        Assert.That(differences.Select(d => (d.Kind, d.Id)), Is.EqualTo(new[] { (DifferenceKind.Extra, 3), (DifferenceKind.Missing, 7) }));
        Assert.That(differences[1].ChangedColumns, Is.Empty);
        Assert.That(RowDifference.ToCsv(differences), Is.EqualTo(
            "kind,id,changed_columns,expected_name,expected_created_at,restored_name,restored_created_at\n" +
            "extra,3,\"\",,,\"restore_test_entry\",\"2026-01-01T12:00:00.0000000\"\n" +
            "missing,7,\"\",\"row 7\",\"2026-01-01T12:00:00.0000000\",,\n"));
    }

    [Test]
    public void Recovery_settings_name_each_target()
    {
        Assert.That(RecoveryTarget.Lsn("0/3000000").RecoverySettings("r"), Does.Contain("recovery_target_lsn = '0/3000000'"));
        Assert.That(RecoveryTarget.Xid(728, "b").RecoverySettings("r"), Does.Contain("recovery_target_xid = '728'"));
    }

    private static BaseBackup Backup(string id, DateTimeOffset end, string endLsn) => new(id, "DONE", end.AddSeconds(-5), end, "w", "w", endLsn, 1);

    [Test]
    public void A_backup_that_ended_a_full_second_before_the_target_is_taken()
    {
        var end = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var target = RecoveryTarget.Time(end + BackupSelector.EndTimeResolution);
        Assert.That(BackupSelector.Select([Backup("b1", end, "0/1")], target).BackupId, Is.EqualTo("b1"));
    }

    [Test]
    public void Of_two_backups_listed_in_the_same_second_the_later_lsn_wins()
    {
        var end = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var backups = new[] { Backup("later", end, "0/9000000"), Backup("earlier", end, "0/5000000") };
        Assert.That(BackupSelector.Select(backups, RecoveryTarget.Time(end.AddMinutes(1))).BackupId, Is.EqualTo("later"));
    }

    [Test]
    public void An_empty_store_says_so()
    {
        var e = Assert.Throws<BackupSelectionException>(() => BackupSelector.Select([], RecoveryTarget.Latest()));
        Assert.That(e!.Message, Does.Contain("(backups: none)"));
        var needsId = Assert.Throws<BackupSelectionException>(() => BackupSelector.Select([], new RecoveryTarget(RecoveryTargetKind.Name, "p")));
        Assert.That(needsId!.Message, Is.EqualTo("a name target needs an explicit backup id (as CNPG's backupID)"));
    }

    [Test]
    public void Lsn_comparisons_are_strict_where_they_should_be()
    {
        var a = WalPosition.Parse("0/5000000");
        var same = WalPosition.Parse("0/5000000");
        var b = WalPosition.Parse("0/5000001");
        Assert.Multiple(() =>
        {
            Assert.That(a < b && !(b < a) && !(a < same), Is.True);
            Assert.That(b > a && !(a > b) && !(a > same), Is.True);
            Assert.That(a <= same && a >= same && b >= a && !(a >= b), Is.True);
            Assert.That(Assert.Throws<FormatException>(() => WalPosition.Parse("x/y"))!.Message, Is.EqualTo("'x/y' is not an LSN (expected the form 16/B374D848)"));
        });
    }
}
