namespace RestoreDrills.Tests.Verification;

public sealed class BudgetChecksTests
{
    private static readonly DrillBudgets Budgets = new()
    {
        Backup = TimeSpan.FromSeconds(10), Rto = TimeSpan.FromSeconds(20), Rpo = TimeSpan.FromSeconds(1), WalArchiveLag = TimeSpan.FromSeconds(5),
    };

    [Test]
    public void Times_within_their_budgets_pass()
    {
        Assert.That(BudgetChecks.Evaluate(new DrillTimings(9.9, 4.9, 1, 20, 1), Budgets).Where(c => !c.Passed), Is.Empty);
    }

    [Test]
    public void An_exceeded_rto_fails_the_drill_as_a_budget_failure_naming_the_setting()
    {
        var checks = BudgetChecks.Evaluate(new DrillTimings(1, 1, 1, 20.5, 0), Budgets);
        var outcome = new DrillOutcome(RecoveryTarget.Latest(), "b", checks, new DrillTimings(1, 1, 1, 20.5, 0));
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Passed, Is.False);
            Assert.That(outcome.Cause, Is.EqualTo(FailureCause.BudgetExceeded));
            Assert.That(FailureCategories.Message(outcome.Cause!.Value, outcome.FailureMessage),
                Does.StartWith("Timing budget exceeded: 1 of 4 checks failed")
                    .And.Contain("RTO (download to promoted) 20.500 s exceeds the budget of 20 s (RESTOREDRILLS_BUDGET_RTO_SECONDS)"));
        });
    }

    [Test]
    public void A_data_fault_outranks_a_budget_fault()
    {
        var checks = new[] { CheckResult.Fail(CheckKind.Integrity, "x", "row missing"), CheckResult.Fail(CheckKind.Budget, "RTO within budget", "slow") };
        Assert.That(new DrillOutcome(RecoveryTarget.Latest(), "b", checks, new DrillTimings(0, 0, 0, 0, 0)).Cause,
            Is.EqualTo(FailureCause.IntegrityViolation));
    }

    /// <summary>Failed before checks had kinds: the category was read from the name ("… within budget").</summary>
    [Test]
    public void The_category_comes_from_the_kind_and_a_renamed_check_keeps_it()
    {
        FailureCause? CauseOf(CheckResult check) => CheckVerdict.Cause([check]);
        Assert.Multiple(() =>
        {
            Assert.That(CauseOf(CheckResult.Fail(CheckKind.Budget, "RTO within budget", "slow")), Is.EqualTo(FailureCause.BudgetExceeded));
            Assert.That(CauseOf(CheckResult.Fail(CheckKind.Budget, "time to promote", "slow")), Is.EqualTo(FailureCause.BudgetExceeded), "renamed");
            Assert.That(CauseOf(CheckResult.Fail(CheckKind.Integrity, "rows within budget", "a row is missing")), Is.EqualTo(FailureCause.IntegrityViolation),
                "a data check whose name happens to end like a budget's");
            Assert.That(CauseOf(CheckResult.Fail(CheckKind.Restore, "promoted", "timeline 1")), Is.EqualTo(FailureCause.RestoreFailed));
            Assert.That(CauseOf(CheckResult.Fail(CheckKind.Wal, "archiving", "off")), Is.EqualTo(FailureCause.WalArchivingFailed));
            Assert.That(CauseOf(CheckResult.Fail(CheckKind.Backup, "backup age", "old")), Is.EqualTo(FailureCause.BackupFailed));
            Assert.That(CauseOf(CheckResult.Fail(CheckKind.Setting, "archive_mode", "on")), Is.EqualTo(FailureCause.UnsafeSetting));
            Assert.That(Enum.GetValues<CheckKind>().Select(k => k.Cause()).Distinct().Count(), Is.EqualTo(Enum.GetValues<CheckKind>().Length), "one category per kind");
        });
    }

    /// <summary>Failed before: the existing-store drill filed a stale backup as "Timing budget exceeded", the CNPG preflight as a backup failure.</summary>
    [Test]
    public void A_stale_backup_is_a_backup_failure_and_a_slow_restore_a_budget_failure()
    {
        var stale = BudgetChecks.Within("newest restorable backup's age", 30 * 3600, TimeSpan.FromHours(26), SettingsTable.BudgetBackupAge, CheckKind.Backup);
        var slow = BudgetChecks.Within("RTO (download to promoted)", 400, TimeSpan.FromSeconds(300), SettingsTable.BudgetRto);
        Assert.Multiple(() =>
        {
            Assert.That(CheckVerdict.Cause([stale]), Is.EqualTo(FailureCause.BackupFailed));
            Assert.That(CheckVerdict.Cause([slow]), Is.EqualTo(FailureCause.BudgetExceeded));
            Assert.That(CheckVerdict.Cause([slow, stale]), Is.EqualTo(FailureCause.BackupFailed), "a backup fault outranks a slow restore");
        });
    }

    [Test]
    public void The_restored_copy_archiving_is_an_unsafe_setting_and_a_timeline_that_did_not_advance_a_restore_failure()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CheckVerdict.Cause([RestoreChecks.ArchivingOff("on")]), Is.EqualTo(FailureCause.UnsafeSetting));
            Assert.That(CheckVerdict.Cause([RestoreChecks.TimelineAdvanced(1, 1)]), Is.EqualTo(FailureCause.RestoreFailed));
        });
    }

    [Test]
    public void Rpo_is_target_minus_last_replayed_commit_and_never_negative()
    {
        var target = new DateTimeOffset(2026, 1, 1, 0, 0, 10, TimeSpan.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(DrillTimings.Rpo(target, target.AddSeconds(-2.5)), Is.EqualTo(2.5).Within(1e-9));
            Assert.That(DrillTimings.Rpo(target, target.AddSeconds(1)), Is.Zero);
            Assert.That(DrillTimings.Rpo(target, null), Is.Zero);
        });
    }

    [Test]
    public void Timings_json_has_the_names_tools_read()
    {
        var json = System.Text.Json.JsonDocument.Parse(new DrillTimings(1.23456, 2, 3, 4.5, 0.1).ToJson()).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("backupSeconds").GetDouble(), Is.EqualTo(1.235));
            Assert.That(json.GetProperty("restoreSeconds").GetDouble(), Is.EqualTo(4.5));
            Assert.That(json.GetProperty("rpoSeconds").GetDouble(), Is.EqualTo(0.1));
        });
    }
}
