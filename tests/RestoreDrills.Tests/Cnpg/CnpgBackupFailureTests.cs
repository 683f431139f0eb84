namespace RestoreDrills.Tests.Cnpg;

/// <summary>An on-demand Backup that fails, cannot archive WAL, or never completes: three distinct failures.</summary>
public sealed class CnpgBackupFailureTests : CnpgDoubleTest
{
    [Test]
    public void A_failed_backup_is_a_backup_failure_with_the_CRs_error()
    {
        Double.BackupStatuses = [DoubleStatuses.Backup("pending"), DoubleStatuses.Backup("running"),
            DoubleStatuses.Backup("failed", "can't execute backup: exit status 4\nServer failed to authenticate the request")];
        var failure = Assert.ThrowsAsync<DrillFailure>(() => Drill().BackUpAsync(CancellationToken.None));
        Assert.Multiple(() =>
        {
            Assert.That(failure!.Cause, Is.EqualTo(FailureCause.BackupFailed));
            Assert.That(failure.Message, Does.Match(@"^Backup pg-prod-drill-[a-z0-9-]+ failed: can't execute backup: exit status 4 Server failed to authenticate the request$"));
            Assert.That(failure.Evidence, Does.Contain("\"phase\": \"failed\""));
        });
    }

    [Test]
    public void A_backup_in_walArchivingFailing_is_a_WAL_archiving_failure()
    {
        Double.BackupStatuses = [DoubleStatuses.Backup("pending"), DoubleStatuses.Backup("walArchivingFailing", "WAL archiving is not working: exit status 1")];
        var failure = Assert.ThrowsAsync<DrillFailure>(() => Drill().BackUpAsync(CancellationToken.None));
        Assert.That(failure!.Cause, Is.EqualTo(FailureCause.WalArchivingFailed));
        Assert.That(failure.Message, Does.Contain("walArchivingFailing").And.EndWith(": WAL archiving is not working: exit status 1"));
    }

    [Test]
    public void A_backup_that_stays_running_is_reported_stuck_after_its_named_timeout()
    {
        Double.BackupStatuses = [DoubleStatuses.Backup("pending"), DoubleStatuses.Backup("running")];
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var failure = Assert.ThrowsAsync<DrillFailure>(() => Drill(Settings with { BackupTimeout = TimeSpan.FromSeconds(1) }).BackUpAsync(CancellationToken.None));
        Assert.Multiple(() =>
        {
            Assert.That(failure!.Cause, Is.EqualTo(FailureCause.BackupFailed));
            Assert.That(failure.Message, Does.Contain("stuck: still 'running' after 1 s (RESTOREDRILLS_TIMEOUT_CNPG_BACKUP_SECONDS)"));
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        });
    }

    [Test]
    public async Task A_completed_backup_gives_its_id_LSNs_and_WAL_as_evidence()
    {
        Double.BackupStatuses = [DoubleStatuses.Backup("pending"), DoubleStatuses.Backup("running"), DoubleStatuses.CompletedBackup("20261125T211500", Now)];
        var backup = await Drill().BackUpAsync(CancellationToken.None);
        Assert.That(backup.Evidence, Does.Contain("backupId 20261125T211500").And.Contain("LSN 0/4000028..0/4000138").And.Contain("WAL 000000010000000000000004..000000010000000000000004"));
        var created = Double.All(CnpgResources.Backups).Single(b => b["metadata"]!["name"]!.GetValue<string>().StartsWith("pg-prod-drill-", StringComparison.Ordinal));
        Assert.That(created["spec"]!["cluster"]!["name"]!.GetValue<string>(), Is.EqualTo("pg-prod"));
    }

    [Test]
    public async Task The_nightly_drill_can_use_the_newest_completed_backup_without_taking_one()
    {
        var backup = await Drill(Settings with { TakeBackup = false }).BackUpAsync(CancellationToken.None);
        Assert.That(backup.BackupId, Is.EqualTo("20261125T010002"));
        Assert.That(Double.Requests, Has.None.StartsWith("POST"));
    }

    [Test]
    public async Task A_plugin_backup_is_created_with_method_plugin()
    {
        Double.BackupStatuses = [DoubleStatuses.CompletedBackup("20261125T211500", Now)];
        await Drill(Settings with { Method = BackupMethod.Plugin, ObjectStore = "pg-prod-store" }).BackUpAsync(CancellationToken.None);
        var created = Double.All(CnpgResources.Backups).Single(b => b["metadata"]!["name"]!.GetValue<string>().StartsWith("pg-prod-drill-", StringComparison.Ordinal));
        Assert.That(created["spec"]!["method"]!.GetValue<string>(), Is.EqualTo("plugin"));
        Assert.That(created["spec"]!["pluginConfiguration"]!["name"]!.GetValue<string>(), Is.EqualTo("barman-cloud.cloudnative-pg.io"));
    }
}
