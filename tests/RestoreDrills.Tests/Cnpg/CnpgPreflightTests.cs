namespace RestoreDrills.Tests.Cnpg;

/// <summary>The preflight of the production source, each check on its own, for healthy and unhealthy fixtures.</summary>
public sealed class CnpgPreflightTests : CnpgDoubleTest
{
    [Test]
    public async Task A_healthy_source_passes_every_check()
    {
        var checks = await Drill().PreflightAsync(CancellationToken.None);
        Assert.That(checks.Select(c => c.Result.ToString()).ToList(), Has.Count.EqualTo(4).And.All.StartWith("PASS"));
        Assert.That(Progress.ToString(), Does.Contain("PASS source cluster healthy").And.Contain("PASS ScheduledBackup pg-prod-nightly ran within its period"));
    }

    /// <summary>Failed before: with the setting empty the schedule's check vanished from the report without a word.</summary>
    [Test]
    public async Task Without_a_ScheduledBackup_setting_the_report_says_the_schedule_was_not_checked()
    {
        var checks = await Drill(Settings with { ScheduledBackup = "" }).PreflightAsync(CancellationToken.None);
        Assert.That(checks.Select(c => c.Result.Name), Has.None.Contains("ScheduledBackup"));
        var step = Journal.Steps.SelectMany(s => s.Steps).Single(s => s.Name.StartsWith(CnpgPreflight.ScheduledBackupCheck, StringComparison.Ordinal));
        Assert.That(step.Status, Is.EqualTo(RestoreDrills.Reporting.Allure.AllureStatus.Skipped));
        Assert.That(step.Name, Does.EndWith("not checked (RESTOREDRILLS_CNPG_SCHEDULED_BACKUP is empty: no nightly schedule is named)"));
        Assert.That(Progress.ToString(), Does.Contain("NOT CHECKED the nightly ScheduledBackup ran within its period"));
    }

    [Test]
    public void A_source_not_in_healthy_state_is_a_setup_problem()
    {
        Double.Seed(CnpgResources.Clusters, SourceWith(DoubleStatuses.Cluster("Waiting for the instances to become active", ready: false, archiving: true)));
        var error = Assert.ThrowsAsync<CnpgSetupException>(() => Drill().PreflightAsync(CancellationToken.None));
        Assert.That(error!.Message, Does.StartWith("preflight: FAIL source cluster healthy").And.Contain("phase \"Waiting for the instances to become active\", Ready=False"));
    }

    [Test]
    public void A_ready_source_with_an_instance_down_is_not_healthy()
    {
        var status = DoubleStatuses.Healthy(archiving: true);
        status["readyInstances"] = 2;
        var check = CnpgPreflight.SourceHealthy(SourceWith(status));
        Assert.That(check.Passed, Is.False);
        Assert.That(check.Result.Detail, Does.EndWith("2/3 instances ready"));
    }

    [Test]
    public void A_source_that_does_not_archive_is_a_WAL_archiving_failure()
    {
        var status = DoubleStatuses.Healthy(archiving: false);
        status["readyInstances"] = 3;
        Double.Seed(CnpgResources.Clusters, SourceWith(status));
        var failure = Assert.ThrowsAsync<DrillFailure>(() => Drill().PreflightAsync(CancellationToken.None));
        Assert.That(failure!.Cause, Is.EqualTo(FailureCause.WalArchivingFailed));
        Assert.That(failure.Message, Does.Contain("ContinuousArchiving=False (unexpected failure invoking barman-cloud-wal-archive: exit status 4)"));
    }

    [TestCase(20, true)]
    [TestCase(24.5, true)]
    [TestCase(26, false)]
    [TestCase(50, false)]
    public void The_daily_scheduled_backup_is_on_time_within_its_period_and_grace(double hoursSinceLastRun, bool onTime)
    {
        var now = new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero).AddHours(hoursSinceLastRun);
        var check = CnpgPreflight.ScheduledBackupOnTime(Scheduled("0 0 1 * * *", new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero)),
            "nightly", TimeSpan.FromHours(1), now);
        Assert.That(check.Passed, Is.EqualTo(onTime), check.Result.ToString());
        Assert.That(check.Result.Detail, Does.Contain("next due 2026-11-26 01:00:00Z"));
    }

    [Test]
    public void A_suspended_or_never_run_or_malformed_schedule_fails_as_a_backup_failure()
    {
        var now = DateTimeOffset.UtcNow;
        var suspended = Scheduled("0 0 1 * * *", now.AddHours(-1));
        suspended["spec"]!["suspend"] = true;
        var neverRan = Scheduled("0 0 1 * * *", null);
        var fourFields = Scheduled("0 1 * *", now.AddHours(-1));
        Assert.Multiple(() =>
        {
            Assert.That(CnpgPreflight.ScheduledBackupOnTime(suspended, "s", TimeSpan.FromHours(1), now).Result.Detail, Does.StartWith("suspended"));
            Assert.That(CnpgPreflight.ScheduledBackupOnTime(neverRan, "s", TimeSpan.FromHours(1), now).Result.Detail, Does.StartWith("never ran"));
            Assert.That(CnpgPreflight.ScheduledBackupOnTime(fourFields, "s", TimeSpan.FromHours(1), now).Result.Detail,
                Is.EqualTo("schedule '0 1 * *' is not one CloudNative-PG accepts: Expected 5 to 6 fields, found 4: 0 1 * *"));
            Assert.That(CnpgPreflight.ScheduledBackupOnTime(null, "s", TimeSpan.FromHours(1), now).Result.Detail, Is.EqualTo("not found"));
        });
    }

    [Test]
    public void A_late_scheduled_backup_fails_the_preflight_as_a_backup_failure()
    {
        SeedHealthySource(lastScheduled: LastOneUtc(Now).AddDays(-2));
        var failure = Assert.ThrowsAsync<DrillFailure>(() => Drill().PreflightAsync(CancellationToken.None));
        Assert.That(failure!.Cause, Is.EqualTo(FailureCause.BackupFailed));
        Assert.That(failure.Message, Does.Contain("FAIL ScheduledBackup pg-prod-nightly").And.Contain("overdue by"));
    }

    [Test]
    public void The_newest_completed_backup_must_be_within_the_sources_retention_policy()
    {
        SeedHealthySource(lastBackupEnd: Now.AddDays(-31));
        var failure = Assert.ThrowsAsync<DrillFailure>(() => Drill().PreflightAsync(CancellationToken.None));
        Assert.That(failure!.Cause, Is.EqualTo(FailureCause.BackupFailed));
        Assert.That(failure.Message, Does.Contain("FAIL newest completed backup of pg-prod within retention (30 d)"));
    }

    [Test]
    public void Only_completed_backups_of_the_source_count()
    {
        var now = DateTimeOffset.UtcNow;
        JsonObject Backup(string name, string cluster, JsonObject status) => new()
        {
            ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = new JsonObject { ["cluster"] = new JsonObject { ["name"] = cluster } }, ["status"] = status,
        };
        var failedRecent = DoubleStatuses.Backup("failed", "x");
        failedRecent["stoppedAt"] = Iso(now);
        var check = CnpgPreflight.NewestBackupWithinRetention(
        [
            Backup("old", "pg-prod", DoubleStatuses.CompletedBackup("20261001T010000", now.AddDays(-40))),
            Backup("other", "pg-other", DoubleStatuses.CompletedBackup("20261125T010000", now)),
            Backup("failed", "pg-prod", failedRecent),
        ], "pg-prod", TimeSpan.FromDays(30), now);
        Assert.That(check.Passed, Is.False);
        Assert.That(check.Result.Detail, Does.StartWith("old (backupId 20261001T010000)"));
    }

    [TestCase("30d", 30)]
    [TestCase("4w", 28)]
    [TestCase("2m", 60)]
    [TestCase(null, 7)]
    public void Retention_comes_from_the_sources_policy_when_it_has_one(string? policy, int days)
    {
        var cluster = new JsonObject { ["spec"] = new JsonObject { ["backup"] = new JsonObject { ["retentionPolicy"] = policy } } };
        Assert.That(CnpgPreflight.Retention(cluster, TimeSpan.FromDays(7)), Is.EqualTo(TimeSpan.FromDays(days)));
    }

    [Test]
    public void A_missing_source_cluster_is_a_setup_problem_naming_the_setting()
    {
        var error = Assert.ThrowsAsync<CnpgSetupException>(() => Drill(Settings with { SourceCluster = "pg-nope" }).PreflightAsync(CancellationToken.None));
        Assert.That(error!.Message, Is.EqualTo("source cluster 'pg-nope' not found in namespace 'drills' (RESTOREDRILLS_CNPG_SOURCE_CLUSTER)"));
    }

    private JsonObject SourceWith(JsonObject status)
    {
        var cluster = Double.Find(CnpgResources.Clusters, CnpgFixtureValues.SourceCluster)!;
        cluster["status"] = status;
        return cluster;
    }

    private static JsonObject Scheduled(string schedule, DateTimeOffset? last) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "nightly" },
        ["spec"] = new JsonObject { ["schedule"] = schedule, ["cluster"] = new JsonObject { ["name"] = "pg-prod" } },
        ["status"] = last is null ? new JsonObject() : new JsonObject { ["lastScheduleTime"] = Iso(last.Value) },
    };
}
