using Dapper;


namespace RestoreDrills.Tests.Cnpg;

/// <summary>
/// The CNPG drill end to end here: the Kubernetes API double performs what the operator would with the containers
/// data path. A Backup CR runs barman-cloud-backup on a real source archiving to Azurite; a Cluster CR restores for
/// real (backup chosen as CNPG does, barman-cloud-restore, the target read back from the manifest's recoveryTarget,
/// WAL replay until promoted), is configured as CNPG configures it (bootstrap.recovery database and owner) and its
/// primary pod forwards to the restored server; deleting the Cluster removes it. The drill reaches it through a
/// port-forward, verifies it as every CNPG drill does and runs the containers drills' row checks as the app user.
/// </summary>
[Category("Containers")]
[CancelAfter(LimitMilliseconds)]
public sealed class CnpgEndToEndTests : OperatedSourceTest
{
    [TestCaseSource(typeof(CnpgFixtureValues), nameof(CnpgFixtureValues.TargetKinds))]
    public async Task A_CNPG_drill_restores_a_real_backup_to_its_target_and_the_rows_verify(RecoveryTargetKind kind)
    {
        await using var seeded = await StartSeededSourceAsync("cnpg-" + kind.Id(), Ct);
        var (source, settings, db, drill) = (seeded.Source, seeded.Settings, seeded.Db, seeded.Drill);

        await drill.PreflightAsync(Ct);
        var backup = await drill.BackUpAsync(Ct);

        if (kind == RecoveryTargetKind.Latest) await source.SwitchWalAndWaitArchivedAsync(TimeSpan.FromSeconds(60), Ct);
        if (kind == RecoveryTargetKind.Time) await Task.Delay(BackupSelector.EndTimeResolution + TimeSpan.FromMilliseconds(100), Ct);
        var target = kind switch
        {
            RecoveryTargetKind.Time => RecoveryTarget.Time(await SourceWorkload.ServerClockAsync(db)),
            RecoveryTargetKind.Lsn => RecoveryTarget.Lsn(await db.ExecuteScalarAsync<string>("SELECT pg_current_wal_insert_lsn()::text") ?? ""),
            RecoveryTargetKind.Name => RecoveryTarget.Name(await db.ExecuteScalarAsync<string>("SELECT @n FROM pg_create_restore_point(@n)", new { n = $"cnpg-{settings.SourceServerName}" }) ?? "", backup.BackupId!),
            RecoveryTargetKind.Immediate => RecoveryTarget.Immediate(backup.BackupId!),
            _ => RecoveryTarget.Latest(),
        };
        var expected = await TableSnapshot.ReadAsync(db);
        var changes = await SourceWorkload.ApplyChangesAfterTargetAsync(db, settings.SourceServerName, expected);
        // WAL archived a second past a time target: what the drill waits for before restoring to it (SourceArchive).
        if (kind == RecoveryTargetKind.Time) await Task.Delay(SourceArchive.PastTimeTarget + TimeSpan.FromMilliseconds(100), Ct);
        if (kind != RecoveryTargetKind.Latest) await source.SwitchWalAndWaitArchivedAsync(TimeSpan.FromSeconds(60), Ct);
        if (kind == RecoveryTargetKind.Lsn)
        {
            // A mid-segment LSN counts as archived past once the segment after it is (SourceArchive.SegmentHolding).
            await db.ExecuteAsync("SELECT pg_create_restore_point('after-the-lsn-target')");
            await source.SwitchWalAndWaitArchivedAsync(TimeSpan.FromSeconds(60), Ct);
        }
        await ReportArchiverAsync(db);

        var outcome = await drill.RestoreAsync(backup, target, Ct, RestoredRowChecks.For(expected, null, changes));

        Assert.That(outcome.Checks.Where(c => !c.Passed).Select(c => c.ToString()), Is.Empty);
        Assert.That(outcome.Checks.Select(c => c.Name), Has.Some.StartWith("backup_test equals"), "the row checks ran");
        Assert.That(outcome.Checks.Select(c => c.Name), Has.Some.EqualTo(RestoreDrills.Verification.VerificationReport.PhysicalCheck).And.Some.StartWith("the restored server was promoted"), "every CNPG drill's checks ran");
        Assert.That(Double.Find(CnpgResources.Clusters, outcome.Restored!.Name), Is.Null);
        if (kind == RecoveryTargetKind.Latest)
            Assert.That(outcome.Checks.Select(c => c.Name), Has.Some.EqualTo(RestoreDrills.Verification.ArchiveEndCheck.Name), "latest checks the archive's end");
        TestContext.Progress.WriteLine($"CNPG end to end, {target}: ready after {outcome.Timings.RestoreSeconds:0.0} s; " +
                                       string.Join("; ", outcome.Checks.Select(c => c.ToString())));
    }

    /// <summary>
    /// A segment lost from the store after the backup: PostgreSQL replays up to the gap and promotes quietly, and without
    /// a source to compare rows with nothing else notices. The source reported WAL archived past the gap before the
    /// restore began: the drill names where replay ended and the first segment it did not replay.
    /// </summary>
    [Test]
    public async Task A_CNPG_restore_to_latest_that_stops_at_a_segment_lost_from_the_store_is_a_WAL_failure()
    {
        await using var seeded = await StartSeededSourceAsync("cnpg-lost", Ct);
        var (source, settings, db, drill) = (seeded.Source, seeded.Settings, seeded.Db, seeded.Drill);
        var backup = await drill.BackUpAsync(Ct);
        for (var i = 0; i < 2; i++)
        {
            await db.ExecuteAsync("INSERT INTO backup_test (name) VALUES ('after the backup')");
            await source.SwitchWalAndWaitArchivedAsync(TimeSpan.FromSeconds(60), Ct);
        }
        await ReportArchiverAsync(db);
        var lost = RestoreDrills.Inventory.WalSegmentName.Parse(backup.EndWal!).Next();
        var blobs = ContainersRun.Platform.Store.Blobs;
        var removed = 0;
        await foreach (var blob in blobs.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"{settings.SourceServerName}/wals/", Ct))
            if (Path.GetFileName(blob.Name).StartsWith(lost.ToString(), StringComparison.Ordinal) && !blob.Name.Contains(".backup", StringComparison.Ordinal))
            {
                await blobs.DeleteBlobAsync(blob.Name, cancellationToken: Ct);
                removed++;
            }
        Assert.That(removed, Is.EqualTo(1), $"segment {lost} was archived");

        var outcome = await drill.RestoreAsync(backup, RecoveryTarget.Latest(), Ct);

        var archiveEnd = outcome.Checks.Single(c => c.Name == RestoreDrills.Verification.ArchiveEndCheck.Name);
        Assert.Multiple(() =>
        {
            Assert.That(archiveEnd.Passed, Is.False);
            Assert.That(outcome.Cause, Is.EqualTo(FailureCause.WalArchivingFailed));
            Assert.That(archiveEnd.Detail, Does.Contain($"the first segment not replayed is {lost}").And.Contain("short of the archive's end"));
        });
        TestContext.Progress.WriteLine($"CNPG latest with {lost} lost: {FailureCategories.Message(outcome.Cause!.Value, outcome.FailureMessage.Replace('\n', ' '))}");
    }

    [Test]
    public async Task A_CNPG_restore_to_a_target_beyond_the_archive_fails_as_target_not_reached_with_the_recovery_log()
    {
        await using var seeded = await StartSeededSourceAsync("cnpg-beyond", Ct);
        var (source, settings, db, drill) = (seeded.Source, seeded.Settings, seeded.Db, seeded.Drill);
        var backup = await drill.BackUpAsync(Ct);

        // The source reports WAL archived past the target (as one that archives without committing would): the drill
        // restores, and PostgreSQL's own verdict is the evidence.
        var target = DateTimeOffset.UtcNow.AddHours(1);
        Double.Patch(CnpgResources.Clusters, CnpgFixtureValues.SourceCluster, c => c["status"]!["lastArchivedWALTime"] = Iso(target.AddHours(1)));
        var failure = Assert.ThrowsAsync<DrillFailure>(() => drill.RestoreAsync(backup, RecoveryTarget.Time(target), Ct));
        Assert.That(failure!.Cause, Is.EqualTo(FailureCause.TargetNotReached));
        Assert.That(failure.Message, Does.Contain("-1-full-recovery failed after 7 attempt(s) (BackoffLimitExceeded: ").And.EndWith("FATAL:  recovery ended before configured recovery target was reached"));
        Assert.That(Double.All(CnpgResources.Clusters), Has.Count.EqualTo(1), "only the source is left");
    }

    /// <summary>
    /// The runbook's cluster keeps its data in linkding. Left to CNPG's defaults (bootstrap.recovery database and
    /// owner app) the restored cluster's app secret opens an app database without the data: the drill must fail
    /// that, not pass a restore nobody can use; named with RESTOREDRILLS_CNPG_DATABASE, the same backup verifies.
    /// </summary>
    [Test]
    [CancelAfter(2 * LimitMilliseconds)]
    public async Task Data_outside_app_fails_in_the_default_app_database_and_verifies_when_the_drill_names_its_database()
    {
        var ct = Ct;
        var platform = ContainersRun.Platform;
        var (source, settings) = await StartOperatedSourceAsync("cnpg-linkding", ct);
        await using var _ = source;
        string linkdingConnection;
        await using (var postgres = await source.OpenAsync(ct))
        {
            await postgres.ExecuteAsync("CREATE ROLE linkding LOGIN");
            await postgres.ExecuteAsync("CREATE DATABASE linkding OWNER linkding");
            linkdingConnection = new Npgsql.NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = "linkding", Password = source.Password }.ConnectionString;
        }
        await using (var linkding = new Npgsql.NpgsqlConnection(linkdingConnection))
        {
            await linkding.OpenAsync(ct);
            await BackupTestSeed.ApplyAsync(linkding, platform.Settings.SeedRandomSeed, platform.Settings.SeedRowCount, ct);
            await ApplicationOwnership.GiveToAsync(linkding, "linkding", "backup_test");
        }
        var backup = await Drill(settings).BackUpAsync(ct);
        await source.SwitchWalAndWaitArchivedAsync(TimeSpan.FromSeconds(60), ct);
        await using (var postgres = await source.OpenAsync(ct)) await ReportArchiverAsync(postgres);

        var byDefault = await Drill(settings).RestoreAsync(backup, RecoveryTarget.Latest(), ct);
        var named = await Drill(settings with { Database = "linkding" }).RestoreAsync(backup, RecoveryTarget.Latest(), ct);

        Assert.Multiple(() =>
        {
            Assert.That(byDefault.Restored!.Database, Is.EqualTo("app"));
            Assert.That(byDefault.Passed, Is.False, "an app database without the data must not pass");
            Assert.That(byDefault.Checks.Where(c => !c.Passed).Select(c => c.ToString()),
                Has.Some.EqualTo("FAIL required tables exist: table(s) missing from the restored database: backup_test"));
            Assert.That(named.Restored!.Database, Is.EqualTo("linkding"));
            Assert.That(named.Restored!.User, Is.EqualTo("linkding"), "the owner defaults to the database's name");
            Assert.That(named.Checks.Where(c => !c.Passed).Select(c => c.ToString()), Is.Empty);
        });
        TestContext.Progress.WriteLine($"default database: {byDefault.FailureMessage}");
    }

    [Test]
    public async Task A_restore_with_another_majors_image_fails_as_PostgreSQL_refuses_the_data_directory()
    {
        var ct = Ct;
        var (source, settings) = await StartOperatedSourceAsync("cnpg-major", ct);
        await using var _ = source;
        var backup = await Drill(settings).BackUpAsync(ct);

        var failure = Assert.ThrowsAsync<DrillFailure>(() => Drill(settings with { PostgresImage = "ghcr.io/cloudnative-pg/postgresql:99" }).RestoreAsync(backup, RecoveryTarget.Latest(), ct));
        Assert.That(failure!.Cause, Is.EqualTo(FailureCause.RestoreFailed));
        Assert.That(failure.Message, Does.Contain("database files are incompatible with server"));
    }
}
