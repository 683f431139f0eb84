using RestoreDrills.Platforms.Cnpg.ThrowawaySource;
using RestoreDrills.Tests.Cnpg;

namespace RestoreDrills.Tests.Cnpg;

/// <summary>
/// The throwaway-source CNPG drill must refuse what a broken restore gives it. The double's operator works for real
/// (a source Cluster is a real PostgreSQL archiving to Azurite, a Backup runs barman-cloud-backup, a restore replays
/// WAL) with one fault put in: the passing runs are the drills themselves (CnpgThrowawaySourceDrills, all six targets and three across a switchover).
/// </summary>
[Category("Containers")]
public sealed class ThrowawaySourceDrillTests : CnpgDoubleTest
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    [Test]
    public async Task A_restore_that_lost_a_row_fails_row_by_row_and_both_clusters_are_deleted()
    {
        var platform = ContainersRun.Platform;
        var outcome = await RunAsync(RecoveryTargetKind.Name, new ContainersOperator(platform) { AfterRestore = DeleteAGeneratedRowAsync });

        Assert.That(Failed(outcome), Is.EquivalentTo(new[] { "backup_test equals the source at the target, row by row", VerificationReport.TablesCheck }));
        Assert.That(CheckVerdict.Cause(outcome.Checks), Is.EqualTo(RestoreDrills.Failures.FailureCause.IntegrityViolation));
        Assert.That(Double.All(CnpgResources.Clusters).Select(c => c["metadata"]!["name"]!.GetValue<string>()), Is.EqualTo(new[] { CnpgFixtureValues.SourceCluster }),
            "the throwaway source and the restored cluster are deleted; production is untouched");
    }

    [Test]
    public async Task An_operator_that_replays_past_the_target_fails_on_every_change_made_after_it()
    {
        var platform = ContainersRun.Platform;
        var outcome = await RunAsync(RecoveryTargetKind.Xid, new ContainersOperator(platform) { ReadTarget = _ => RecoveryTarget.Latest() });

        Assert.That(Failed(outcome), Is.SupersetOf(new[]
        {
            "rows inserted after the target are absent", "rows updated after the target keep their values at the target",
            "rows deleted after the target are still there", "backup_test equals the source at the target, row by row", VerificationReport.TablesCheck,
        }));
        Assert.That(Failed(outcome), Does.Not.Contain("every marker row written before the target is restored"), "the markers are there: only what came after is wrong");
    }

    /// <summary>
    /// Across a switchover, the store loses the new timeline's history file before the restore: PostgreSQL's latest then
    /// finds no newer timeline and replays timeline 1 to the fork. Latest promotes quietly there and must fail as a WAL
    /// archiving failure; a time or LSN target after the switchover is never reached, PostgreSQL's own verdict.
    /// </summary>
    [TestCase(RecoveryTargetKind.Latest)]
    [TestCase(RecoveryTargetKind.Time)]
    [TestCase(RecoveryTargetKind.Lsn)]
    public async Task A_restore_across_a_switchover_whose_history_file_is_lost_fails(RecoveryTargetKind kind)
    {
        var platform = ContainersRun.Platform;
        var @operator = new ContainersOperator(platform) { BeforeRestore = LoseTheNewestHistoryFileAsync };
        if (kind != RecoveryTargetKind.Latest)
        {
            var failure = Assert.ThrowsAsync<RestoreDrills.Failures.DrillFailure>(() => RunAsync(kind, @operator, switchOver: true));
            Assert.That(failure!.Cause, Is.EqualTo(RestoreDrills.Failures.FailureCause.TargetNotReached));
            Assert.That(failure.Message, Does.EndWith("FATAL:  recovery ended before configured recovery target was reached"));
            return;
        }
        var outcome = await RunAsync(kind, @operator, switchOver: true);
        Assert.That(Failed(outcome), Does.Contain(ArchiveEndCheck.Name).And.Contain("backup_test equals the source at the target, row by row"));
        Assert.That(outcome.Checks.Single(c => c.Name == ArchiveEndCheck.Name).Detail, Does.Contain("stayed on timeline 1"));
        Assert.That(CheckVerdict.Cause(outcome.Checks), Is.EqualTo(RestoreDrills.Failures.FailureCause.WalArchivingFailed));
    }

    private static async Task LoseTheNewestHistoryFileAsync(RestoreDrills.ObjectStore.ObjectStoreLocation store, CancellationToken ct)
    {
        var deleted = await ContainersRun.Platform.Store.Blobs.DeleteBlobIfExistsAsync($"{store.ServerName}/wals/00000002.history.gz", cancellationToken: ct);
        Assert.That(deleted.Value, Is.True, "the switchover archived 00000002.history.gz");
    }

    private static List<string> Failed(DrillOutcome outcome) => outcome.Checks.Where(c => !c.Passed).Select(c => c.Name).ToList();

    /// <summary>One generated row, neither a marker nor one the drill changes after the target.</summary>
    private static async Task DeleteAGeneratedRowAsync(PostgresEndpoint server, CancellationToken ct)
    {
        await using var db = new Npgsql.NpgsqlConnection(server.ConnectionString("app"));
        await db.OpenAsync(ct);
        await using var delete = new Npgsql.NpgsqlCommand("DELETE FROM backup_test WHERE id = (SELECT id FROM backup_test ORDER BY id OFFSET 100 LIMIT 1)", db);
        Assert.That(await delete.ExecuteNonQueryAsync(ct), Is.EqualTo(1));
    }

    private async Task<DrillOutcome> RunAsync(RecoveryTargetKind kind, ContainersOperator @operator, bool switchOver = false)
    {
        using var cts = new CancellationTokenSource(Limit);
        var ct = cts.Token;
        Double.SourcePerformer = manifest => @operator.StartSourceAsync(manifest, ct);
        Double.BackupPerformer = backup => @operator.BackUpAsync(backup, ct);
        Double.RestorePerformer = manifest => @operator.RestoreAsync(manifest, ct);
        Double.SwitchoverPerformer = cluster => @operator.SwitchOverAsync(cluster, ct);
        var platform = ContainersRun.Platform;
        var settings = Settings with
        {
            PostgresImage = $"ghcr.io/cloudnative-pg/postgresql:{ContainersOperator.MajorOf(platform.Settings.PostgresImage)}",
            BackupTimeout = TimeSpan.FromMinutes(2), ClusterReadyTimeout = TimeSpan.FromMinutes(3), ArchiveTimeout = TimeSpan.FromSeconds(60),
            AppSecretTimeout = TimeSpan.FromSeconds(10), DeleteTimeout = TimeSpan.FromSeconds(60), PollInterval = TimeSpan.FromMilliseconds(250),
        };
        var drill = new ThrowawaySourceDrill(Api, settings, Schemas.Value, Journal, RunId, new SeedPlan(platform.Settings.SeedRandomSeed, platform.Settings.SeedRowCount))
            { SwitchOverAfterBackup = switchOver };
        var outcome = await drill.RunAsync(kind, ct);
        TestContext.Progress.WriteLine($"throwaway source, {outcome.Target}: {string.Join("; ", outcome.Checks.Where(c => !c.Passed).Select(c => c.ToString()))}");
        return outcome;
    }
}
