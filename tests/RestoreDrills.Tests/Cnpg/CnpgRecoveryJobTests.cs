namespace RestoreDrills.Tests.Cnpg;

/// <summary>
/// The full-recovery Job as Kubernetes runs it (CloudNative-PG sets no backoffLimit: 6 retries): a failed attempt
/// is retried, the restore has failed only when the Job has; the evidence has every attempt's logs, the Barman Cloud
/// Plugin sidecar's among them, and the cause is read from the last attempt's log, JSON as CNPG writes it.
/// </summary>
public sealed class CnpgRecoveryJobTests : CnpgDoubleTest
{
    private readonly List<string> _progress = [];

    [SetUp]
    public void ForgetProgress() => _progress.Clear();

    [Test]
    public async Task A_restore_whose_first_attempt_fails_and_second_succeeds_is_ready()
    {
        Double.Restore = RestoreScript.BecomesReady() with { FailedAttempts = 1, FailedAttemptLog = DoubleStatuses.RecoveryLogJsonTransientFailure };
        await using var restored = await CreateAsync(BackupMethod.BarmanObjectStore);
        Assert.That(await restored.WaitReadyAsync(CancellationToken.None), Is.GreaterThanOrEqualTo(TimeSpan.Zero));
        var pods = Double.Requests.Count(r => r.StartsWith($"GET /apis/batch/v1/namespaces/drills/jobs?labelSelector=cnpg.io/cluster={restored.Name},cnpg.io/jobRole=full-recovery", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(pods, Is.GreaterThanOrEqualTo(1), "the drill judged the Job");
            Assert.That(_progress, Has.One.EqualTo($"restored cluster {restored.Name}: 1 full-recovery attempt(s) failed; Kubernetes retries until the Job's backoffLimit"));
            Assert.That(Double.Unexpected, Is.Empty);
        });
    }

    [Test]
    public async Task A_restore_whose_every_attempt_fails_is_a_restore_failure_with_every_attempts_log_and_the_last_ones_cause()
    {
        var (failure, restored) = await FailedRestoreAsync(RestoreScript.EveryAttemptFails(DoubleStatuses.RecoveryLogJsonTransientFailure), BackupMethod.BarmanObjectStore);
        Assert.Multiple(() =>
        {
            Assert.That(failure!.Cause, Is.EqualTo(FailureCause.RestoreFailed));
            Assert.That(failure.Message, Is.EqualTo(
                $"restored cluster {restored.Name} recovery job {restored.Name}-1-full-recovery failed after 7 attempt(s) (BackoffLimitExceeded: Job has reached the specified backoff limit); " +
                "recovery log: Error while restoring a backup: encountered an error while restoring: exit status 4: 503 Server Busy: The server is currently unable to receive requests"));
            for (var attempt = 1; attempt <= 7; attempt++)
                Assert.That(failure.Evidence, Does.Match($@"--- log of {restored.Name}-1-full-recovery-[0-9a-f]{{5}} container full-recovery \(attempt {attempt} of 7, phase Failed, last 200 lines\) ---"));
            Assert.That(failure.Evidence, Does.Not.Contain("could not be read"));
            Assert.That(Double.Unexpected, Is.Empty);
        });
    }

    [Test]
    public async Task PostgreSQLs_JSON_record_that_the_target_was_not_reached_is_target_not_reached_in_its_own_words()
    {
        var (failure, restored) = await FailedRestoreAsync(RestoreScript.EveryAttemptFails(DoubleStatuses.RecoveryLogJsonTargetNotReached), BackupMethod.BarmanObjectStore);
        Assert.Multiple(() =>
        {
            Assert.That(failure!.Cause, Is.EqualTo(FailureCause.TargetNotReached));
            Assert.That(failure.Message, Does.EndWith("; recovery log: FATAL:  recovery ended before configured recovery target was reached"));
            Assert.That(failure.Evidence, Does.Contain("(attempt 7 of 7, phase Failed"));
        });
    }

    [Test]
    public async Task A_plugin_restore_that_fails_shows_the_sidecars_error_in_the_evidence()
    {
        var (failure, restored) = await FailedRestoreAsync(RestoreScript.EveryAttemptFails(DoubleStatuses.RecoveryLogPluginRestoreFailed) with { SidecarLog = DoubleStatuses.SidecarLogRestoreFailed }, BackupMethod.Plugin);
        Assert.Multiple(() =>
        {
            Assert.That(failure!.Cause, Is.EqualTo(FailureCause.RestoreFailed));
            Assert.That(failure.Message, Does.EndWith("; recovery log: Error while restoring a backup: rpc error: code = Unknown desc = unexpected failure invoking barman-cloud-restore: exit status 1"));
            Assert.That(failure.Evidence, Does.Match($@"--- log of {restored.Name}-1-full-recovery-[0-9a-f]{{5}} container plugin-barman-cloud \(attempt 7 of 7, phase Failed, last 200 lines\) ---\n" +
                                                     @"(.*\n)*.*Barman cloud restore exception: The specified container does not exist\."));
            Assert.That(failure.Evidence, Does.Not.Contain("could not be read"));
            Assert.That(Double.Requests, Has.Some.Contains("/log?container=plugin-barman-cloud"));
            Assert.That(Double.Unexpected, Is.Empty);
        });
    }

    [Test]
    public async Task The_double_answers_log_requests_as_the_API_server_does_the_one_regular_container_by_default_an_unknown_one_400()
    {
        Double.Restore = RestoreScript.NeverReady();
        await using var restored = await CreateAsync(BackupMethod.Plugin);
        var pod = (await Api.ListPodsAsync($"cnpg.io/cluster={restored.Name},cnpg.io/jobRole=full-recovery", CancellationToken.None)).Single().Metadata.Name;
        var unknown = Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => Api.PodLogAsync(pod, 10, CancellationToken.None, "postgres"));
        Assert.That((int)unknown!.Response.StatusCode, Is.EqualTo(400));
        Assert.That(unknown.Response.Content, Does.Contain($"container postgres is not valid for pod {pod}"));
        Assert.That(await Api.PodLogAsync(pod, 10, CancellationToken.None), Is.EqualTo(DoubleStatuses.RecoveryLogExpectedEmptyArchive), "init containers, the sidecar among them, do not count");
        Assert.That(await Api.PodLogAsync(pod, 10, CancellationToken.None, "plugin-barman-cloud"), Is.EqualTo(DoubleStatuses.SidecarLogRestoreStarted));
    }

    /// <summary>A restore the double fails as <paramref name="script"/> says: the drill's failure, and the cluster it created (deleted again).</summary>
    private async Task<(DrillFailure Failure, RestoredCnpgCluster Restored)> FailedRestoreAsync(RestoreScript script, BackupMethod method)
    {
        Double.Restore = script;
        await using var restored = await CreateAsync(method);
        var failure = Assert.ThrowsAsync<DrillFailure>(() => restored.WaitReadyAsync(CancellationToken.None));
        return (failure!, restored);
    }

    private Task<RestoredCnpgCluster> CreateAsync(BackupMethod method)
    {
        var manifest = CnpgManifests.RestoredCluster(CnpgFixtureValues.Restore(RecoveryTarget.Latest(), method));
        return RestoredCnpgCluster.CreateAsync(Api, Settings, manifest, _progress.Add, CancellationToken.None);
    }
}
