namespace RestoreDrills.Tests.Cnpg;

/// <summary>
/// A restore that never becomes ready, one that stops before its target, and a missing app secret: each a
/// distinct failure with its evidence; and the restored cluster and its PVCs are deleted in every case.
/// </summary>
public sealed class CnpgRestoreFailureTests : CnpgDoubleTest
{
    private static BackupStatus Backup => CompletedBackup("b", DateTimeOffset.UtcNow.AddMinutes(-4));

    /// <summary>
    /// The drill never reads the Azure secret (the manifests name it only), so a key that a recovery pod's log echoes
    /// was never registered with the masker. Failed before masking by shape: the key and the SAS signature reached the
    /// failure message, its evidence and the report's attachments as they were.
    /// </summary>
    [Test]
    public void Storage_credentials_a_recovery_log_echoes_are_masked_in_the_failure_its_evidence_and_the_report()
    {
        var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());
        var signature = "Zx%2F" + Guid.NewGuid().ToString("N") + "%3D";
        Double.Restore = RestoreScript.EveryAttemptFails(
            "{\"level\":\"error\",\"msg\":\"Error while restoring a backup\",\"error\":\"barman-cloud-restore failed: " +
            $"connection string DefaultEndpointsProtocol=https;AccountName=prodbackups;AccountKey={key};EndpointSuffix=core.windows.net; " +
            $"GET https://prodbackups.blob.core.windows.net/cnpg?sv=2026-10-06&sr=c&sig={signature}&sp=rl 403 AuthenticationFailed\"}}\n");
        var failure = Assert.ThrowsAsync<DrillFailure>(() => Drill().RestoreAsync(Backup, RecoveryTarget.Latest(), CancellationToken.None))!;
        var everything = failure.Message + failure.Evidence + AllReportText() + Progress;
        Assert.Multiple(() =>
        {
            Assert.That(failure.Evidence, Does.Contain("AccountKey=[secret];EndpointSuffix").And.Contain("&sig=[secret]&sp=rl"), "the log line is there, masked");
            Assert.That(everything, Does.Not.Contain(key).And.Not.Contain(signature));
        });
    }

    [Test]
    public void A_restore_that_never_becomes_ready_is_a_restore_failure_with_the_recovery_log_and_status()
    {
        Double.Restore = RestoreScript.NeverReady();
        var drill = Drill(Settings with { ClusterReadyTimeout = TimeSpan.FromSeconds(1) });
        var failure = Assert.ThrowsAsync<DrillFailure>(() => drill.RestoreAsync(Backup, RecoveryTarget.Latest(), CancellationToken.None));
        Assert.Multiple(() =>
        {
            Assert.That(failure!.Cause, Is.EqualTo(FailureCause.RestoreFailed));
            Assert.That(failure.Message, Does.StartWith($"restored cluster {drill.RestoredClusterName} not ready after 1 s (RESTOREDRILLS_TIMEOUT_CNPG_CLUSTER_READY_SECONDS): phase \"Setting up primary\""));
            Assert.That(failure.Message, Does.EndWith("recovery log: ERROR: WAL archive check failed for server restore: Expected empty archive"));
            Assert.That(failure.Evidence, Does.Contain($"--- log of {drill.RestoredClusterName}-1-full-recovery-").And.Contain("\"phase\": \"Setting up primary\""));
            Assert.That(AllReportText(), Does.Contain("Expected empty archive"), "the evidence is attached to the report");
        });
        AssertDeleted(drill.RestoredClusterName!);
    }

    [Test]
    public void The_failure_line_of_a_JSON_recovery_log_is_the_instance_managers_error_in_words()
    {
        // CNPG's instance manager logs JSON: its errors are level "error" (msg, error), never an upper-case ERROR.
        Double.Restore = RestoreScript.NeverReady(DoubleStatuses.RecoveryLogJsonTransientFailure);
        var drill = Drill(Settings with { ClusterReadyTimeout = TimeSpan.FromSeconds(0.5) });
        var failure = Assert.ThrowsAsync<DrillFailure>(() => drill.RestoreAsync(Backup, RecoveryTarget.Latest(), CancellationToken.None));
        Assert.That(failure!.Cause, Is.EqualTo(FailureCause.RestoreFailed));
        Assert.That(failure.Message, Does.EndWith("; recovery log: Error while restoring a backup: encountered an error while restoring: exit status 4: " +
                                                  "503 Server Busy: The server is currently unable to receive requests"));
        AssertDeleted(drill.RestoredClusterName!);
    }

    [Test]
    public void A_recovery_that_ends_before_its_target_is_target_not_reached_without_waiting_for_the_timeout()
    {
        Double.Restore = RestoreScript.EveryAttemptFails(DoubleStatuses.RecoveryLogTargetNotReached);
        var drill = Drill(Settings with { ClusterReadyTimeout = TimeSpan.FromSeconds(60) });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var target = RecoveryTarget.Time(DateTimeOffset.UtcNow);
        // The archive is past the target, yet the replay ends before it (e.g. no commit after it): the pod's verdict counts.
        Double.Patch(CnpgResources.Clusters, CnpgFixtureValues.SourceCluster, c => c["status"]!["lastArchivedWALTime"] = Iso(DateTimeOffset.UtcNow.AddMinutes(5)));
        var failure = Assert.ThrowsAsync<DrillFailure>(() => drill.RestoreAsync(Backup, target, CancellationToken.None));
        Assert.Multiple(() =>
        {
            Assert.That(failure!.Cause, Is.EqualTo(FailureCause.TargetNotReached));
            Assert.That(failure.Message, Does.Contain($"recovery job {drill.RestoredClusterName}-1-full-recovery failed after 7 attempt(s) (BackoffLimitExceeded: ")
                .And.EndWith("recovery log: FATAL:  recovery ended before configured recovery target was reached"));
            Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        });
        AssertDeleted(drill.RestoredClusterName!);
    }

    [Test]
    public void A_missing_app_secret_is_a_setup_problem_naming_the_secret()
    {
        Double.Restore = RestoreScript.BecomesReady() with { MakesAppSecret = false };
        var drill = Drill(Settings with { AppSecretTimeout = TimeSpan.FromSeconds(0.5) });
        var error = Assert.ThrowsAsync<CnpgSetupException>(() => drill.RestoreAsync(Backup, RecoveryTarget.Latest(), CancellationToken.None));
        Assert.That(error!.Message, Is.EqualTo($"secret {drill.RestoredClusterName}-app not found after 0.5 s (RESTOREDRILLS_TIMEOUT_CNPG_APP_SECRET_SECONDS): " +
                                               "the operator makes it when it bootstraps the cluster; without it the drill cannot connect"));
        AssertDeleted(drill.RestoredClusterName!);
    }

    [Test]
    public async Task A_drill_cancelled_while_waiting_for_ready_still_deletes_the_restored_cluster_and_its_PVCs()
    {
        Double.Restore = RestoreScript.NeverReady() with { PersistentVolumeClaims = 2 };
        var drill = Drill(Settings with { ClusterReadyTimeout = TimeSpan.FromSeconds(60) });
        using var cancel = new CancellationTokenSource();
        var restore = drill.RestoreAsync(Backup, RecoveryTarget.Latest(), cancel.Token);
        for (var i = 0; i < 200 && Double.All(CnpgResources.Clusters).Count < 2; i++) await Task.Delay(50);
        Assert.That(Double.PersistentVolumeClaims($"cnpg.io/cluster={drill.RestoredClusterName}"), Is.EqualTo(2), "the restore had started");
        await cancel.CancelAsync();
        Assert.That(async () => await restore, Throws.InstanceOf<OperationCanceledException>());
        AssertDeleted(drill.RestoredClusterName!);
    }

    [Test]
    public void A_drill_cancelled_before_the_create_returned_still_deletes_what_it_may_have_created()
    {
        // No read of the source (an image given; immediate waits for no archive and reads no archive end): straight to the create.
        var drill = Drill(Settings with { PostgresImage = "ghcr.io/cloudnative-pg/postgresql:16.1" });
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.That(() => drill.RestoreAsync(Backup, RecoveryTarget.Immediate(Backup.BackupId!), cancel.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(Double.Requests, Has.Some.EqualTo($"DELETE /apis/postgresql.cnpg.io/v1/namespaces/drills/clusters/{drill.RestoredClusterName}"));
    }

    [Test]
    [Category("Containers")]
    public async Task A_successful_restore_deletes_the_restored_cluster_and_its_PVCs_and_leaves_the_source()
    {
        Double.Restore = RestoreScript.BecomesReady(await ScriptedRestoredServer.GetAsync()) with { PersistentVolumeClaims = 2 };
        Double.AddPersistentVolumeClaim("pg-prod-1", "pg-prod");
        var drill = Drill();
        var outcome = await drill.RestoreAsync(Backup, RecoveryTarget.Latest(), CancellationToken.None);
        Assert.That(outcome.Passed, Is.True, string.Join("; ", outcome.Checks));
        AssertDeleted(drill.RestoredClusterName!);
        Assert.That(Double.Find(CnpgResources.Clusters, "pg-prod"), Is.Not.Null);
        Assert.That(Double.PersistentVolumeClaims("cnpg.io/cluster=pg-prod"), Is.EqualTo(1));
    }

    [Test]
    [Category("Containers")]
    public async Task A_restore_slower_than_the_RTO_budget_fails_as_budget_exceeded()
    {
        Double.Restore = RestoreScript.BecomesReady(await ScriptedRestoredServer.GetAsync());
        var outcome = await Drill(Settings with { RtoBudget = TimeSpan.FromTicks(1) }).RestoreAsync(Backup, RecoveryTarget.Latest(), CancellationToken.None);
        Assert.That(outcome.Passed, Is.False);
        Assert.That(outcome.Cause, Is.EqualTo(FailureCause.BudgetExceeded));
        Assert.That(outcome.FailureMessage, Does.Match(@"^1 of \d+ checks failed:\n- RTO \(created to ready\) within budget: ").And.EndWith("(RESTOREDRILLS_BUDGET_CNPG_RTO_SECONDS)"));
    }

    [Test]
    public void A_manifest_the_API_server_would_reject_is_rejected_by_the_double_too()
    {
        var manifest = Platforms.Cnpg.Manifests.CnpgManifests.RestoredCluster(CnpgFixtureValues.Restore(RecoveryTarget.Latest(), BackupMethod.BarmanObjectStore));
        manifest["spec"]!["instances"] = "one";
        var error = Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => Api.CreateAsync(CnpgResources.Clusters, manifest, CancellationToken.None));
        Assert.That((int)error!.Response.StatusCode, Is.EqualTo(422));
        Assert.That(error.Response.Content, Does.Contain("/spec/instances"));
    }

    private void AssertDeleted(string cluster)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Double.Find(CnpgResources.Clusters, cluster), Is.Null, $"{cluster} still exists");
            Assert.That(Double.PersistentVolumeClaims($"cnpg.io/cluster={cluster}"), Is.Zero, $"PVCs of {cluster} still exist");
            Assert.That(Double.Requests, Has.Some.EqualTo($"DELETE /apis/postgresql.cnpg.io/v1/namespaces/drills/clusters/{cluster}"));
            Assert.That(Double.Requests, Has.None.StartsWith("DELETE /api/v1/namespaces/drills/persistentvolumeclaims"), "PVCs go with their owner: the drill deletes none itself");
            Assert.That(Double.Unexpected, Is.Empty);
        });
    }
}
