using Azure.Storage.Blobs;
using RestoreDrills.ObjectStore;

namespace RestoreDrills.Tests.Drills;

/// <summary>
/// Faults injected into the object store and the data a drill restores (never into the drill's code), each of
/// which barman-cloud or PostgreSQL lets pass silently or obscurely. Every one must end the drill RED with the
/// right category and a one-line cause. One source with two base backups (the time drill takes a second one
/// after its target): the tests that only read come first, those that damage the store last.
/// </summary>
[TestFixture]
public sealed class ObjectStoreFaultTests : PreparedDrillTest
{
    private IReadOnlyList<RestoreDrills.Backups.BaseBackup> _backups = [];

    private ObjectStoreLocation Store => Drill.Source.Store;
    private RestoreDrills.Backups.BaseBackup First => _backups[0];
    private RestoreDrills.Backups.BaseBackup Second => _backups[1];

    protected override RecoveryTargetKind TargetKind => RecoveryTargetKind.Time;

    [OneTimeSetUp]
    public async Task ListBackupsAsync()
    {
        _backups = RestoreDrills.Backups.BaseBackup.ParseListing(await Drill.Source.ListBackupsAsync(CancellationToken.None))
            .OrderBy(b => b.EndTime).ToList();
        Assert.That(_backups, Has.Count.EqualTo(2));
    }

    private static void AssertOneLineCause(DrillFailure failure, FailureCause cause, string contains)
    {
        var message = FailureCategories.Message(failure.Cause, failure.Message);
        TestContext.Progress.WriteLine($"[store faults] {TestContext.CurrentContext.Test.Name}: {message}");
        Assert.Multiple(() =>
        {
            Assert.That(failure.Cause, Is.EqualTo(cause), message);
            Assert.That(message, Does.StartWith(FailureCategories.Name(cause) + ": ").And.Contain(contains));
            Assert.That(message, Does.Not.Contain("\n"), "one line");
        });
    }

    /// <summary>The restore half of a drill, step by step, from a store location the test chose.</summary>
    private async Task<DrillFailure> RestoreFromAsync(ObjectStoreLocation store, string backupId, RecoveryTarget target, TimeSpan? downloadTimeout = null,
        int walMaxParallel = 1)
    {
        await using var restored = await ContainersRun.Platform.CreateRestoredAsync(Drill.Source, CancellationToken.None, store);
        return Assert.ThrowsAsync<DrillFailure>(() => RestoreSteps.RunAsync(restored, backupId, target, downloadTimeout, walMaxParallel))!;
    }

    /// <summary>The whole drill's restore and verification, as the drills run them, to a target of the test's choosing.</summary>
    private async Task<DrillFailure> DrillFailsAsync(RecoveryTarget target) =>
        Assert.ThrowsAsync<DrillFailure>(async () =>
        {
            var prep = Prep with { Target = target };
            var outcome = await Drill.VerifyAsync(prep, await Drill.RestoreAsync(prep, CancellationToken.None), CancellationToken.None);
            if (!outcome.Passed) throw new DrillFailure(outcome.Cause!.Value, outcome.FailureMessage.Replace('\n', ' '));
        })!;

    private BlobContainerClient Blobs => ContainersRun.Platform.Store.Blobs;

    private async Task<string> BlobNamedAsync(string endsWith)
    {
        await foreach (var blob in Blobs.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, Store.ServerName + "/", CancellationToken.None))
            if (blob.Name.EndsWith(endsWith, StringComparison.Ordinal)) return blob.Name;
        throw new AssertionException($"no blob ending in {endsWith} under {Store.ServerName}/");
    }

    [Test, Order(0)]
    public async Task A_source_whose_archive_path_already_holds_wal_does_not_start()
    {
        var taken = $"taken-{Guid.NewGuid():N}"[..20];
        var segment = await BlobNamedAsync($"/{First.BeginWal}.gz");
        var source = Blobs.GetBlobClient(segment);
        await Blobs.GetBlobClient(taken + segment[Store.ServerName.Length..])
            .UploadAsync((await source.DownloadContentAsync()).Value.Content);
        var failure = Assert.ThrowsAsync<DrillFailure>(() => ContainersRun.Platform.StartSourceAsync(taken, CancellationToken.None))!;
        AssertOneLineCause(failure, FailureCause.WalArchivingFailed, "Expected empty archive");
    }

    [Test, Order(1)]
    public async Task Wrong_storage_credentials_fail_the_restore_and_the_key_is_in_nothing_the_drill_wrote()
    {
        var wrongKey = Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());
        var wrong = new ObjectStoreLocation(Store.DestinationPath, Store.ServerName,
            $"DefaultEndpointsProtocol=http;AccountName={AzuriteObjectStore.Account};AccountKey={wrongKey};BlobEndpoint=http://{AzuriteObjectStore.NetworkAlias}:{AzuriteObjectStore.BlobPort}/{AzuriteObjectStore.Account};");
        var results = Directory.CreateTempSubdirectory("restoredrills-wrong-key-");
        try
        {
            var progress = new StringWriter();
            var journal = new DrillJournal(new AllureResultsWriter(results.FullName), progress, "wrong-key");
            await using var restored = await ContainersRun.Platform.CreateRestoredAsync(Drill.Source, CancellationToken.None, wrong);
            // The key travels: it is in the environment barman-cloud runs with, and in the location the drill logs.
            var environment = await restored.ExecAsync(["printenv", "AZURE_STORAGE_CONNECTION_STRING"], CancellationToken.None);
            Assert.That(environment.Stdout, Does.Contain(wrongKey), "the restore container holds the key");
            journal.Progress($"restoring from {wrong}");
            var failure = Assert.ThrowsAsync<DrillFailure>(() => journal.StepAsync("restore with the wrong key",
                () => RestoreSteps.RunAsync(restored, First.BackupId, RecoveryTarget.Immediate(First.BackupId))))!;
            journal.Attach("evidence", failure.Evidence ?? "", "text/plain", "txt");
            journal.Attach("connection", wrong.ConnectionString, "text/plain", "txt");
            AssertOneLineCause(failure, FailureCause.RestoreFailed, "barman-cloud-restore");
            var written = FailureCategories.Message(failure.Cause, failure.Message) + progress +
                          string.Concat(results.EnumerateFiles().Select(f => File.ReadAllText(f.FullName)));
            Assert.Multiple(() =>
            {
                Assert.That(written, Does.Contain("restore with the wrong key").And.Contain("barman-cloud-restore").And.Contain(SecretMasker.Mask));
                Assert.That(written, Does.Not.Contain(wrongKey), "no key in the failure, the progress lines or the report files");
                Assert.That(wrong.ToString(), Does.Not.Contain(wrongKey).And.Contain(Store.ServerName), "a location's text names the store, not its key");
            });
        }
        finally
        {
            results.Delete(recursive: true);
        }
    }

    [Test, Order(2)]
    public async Task Unknown_server_name()
    {
        var elsewhere = new ObjectStoreLocation(Store.DestinationPath, "no-such-server", Store.ConnectionString);
        var failure = await RestoreFromAsync(elsewhere, First.BackupId, RecoveryTarget.Immediate(First.BackupId));
        AssertOneLineCause(failure, FailureCause.RestoreFailed, "no-such-server");
    }

    [Test, Order(3)]
    public async Task Unknown_backup_id()
    {
        var failure = await RestoreFromAsync(Store, "20000101T000000", RecoveryTarget.Immediate("20000101T000000"));
        AssertOneLineCause(failure, FailureCause.RestoreFailed, "20000101T000000");
    }

    [Test, Order(4)]
    public async Task A_target_before_the_first_recoverability_point()
    {
        var failure = await DrillFailsAsync(RecoveryTarget.Time(First.BeginTime.AddHours(-1)));
        AssertOneLineCause(failure, FailureCause.RestoreFailed, "before the first recoverability point");
    }

    [Test, Order(5)]
    public async Task A_storage_endpoint_that_does_not_answer_is_bounded_by_the_download_timeout()
    {
        // Same network, a port nothing listens on: the SDK would retry for about 86 s per call.
        var down = new ObjectStoreLocation($"http://{AzuriteObjectStore.NetworkAlias}:10001/{AzuriteObjectStore.Account}/{AzuriteObjectStore.BlobContainer}",
            Store.ServerName, Store.ConnectionString.Replace(":10000/", ":10001/", StringComparison.Ordinal));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var failure = await RestoreFromAsync(down, First.BackupId, RecoveryTarget.Immediate(First.BackupId), downloadTimeout: TimeSpan.FromSeconds(10));
        AssertOneLineCause(failure, FailureCause.RestoreFailed, "did not finish within 10 s");
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(40)));
    }

    [Test, Order(6)]
    public async Task A_backup_that_never_completes()
    {
        var failure = Assert.ThrowsAsync<DrillFailure>(() => Drill.Source.BackUpAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None))!;
        AssertOneLineCause(failure, FailureCause.BackupFailed, "did not complete within");
        await Task.Delay(TimeSpan.FromSeconds(12)); // let the abandoned barman-cloud-backup finish before the store is damaged
    }

    /// <summary>
    /// The second backup's chain to the end of the archive, with one more written and archived segment after it, so that
    /// a segment after the backup can be damaged while newer ones stay: the archive's end lies past the damage.
    /// </summary>
    private async Task<(WalSegmentName AfterBackup, RecoveryTarget Latest)> SegmentsPastTheSecondBackupAsync()
    {
        for (var i = 0; i < 2; i++)
        {
            await using (var db = await Drill.Source.OpenAsync(CancellationToken.None))
            await using (var insert = new Npgsql.NpgsqlCommand("INSERT INTO backup_test (name) VALUES ('after the second backup')", db))
                await insert.ExecuteNonQueryAsync();
            await Drill.Source.SwitchWalAndWaitArchivedAsync(ContainersRun.Platform.Settings.Timeouts.WalArchived, CancellationToken.None);
        }
        return (WalSegmentName.Parse(Second.EndWal).Next(), new RecoveryTarget(RecoveryTargetKind.Latest, "", Second.BackupId));
    }

    /// <summary>
    /// Failed before ArchiveEndCheck (b1e6cf5): PostgreSQL rejects the segment ("unexpected pageaddr") and promotes
    /// quietly; the rows compared with the source at the target could not tell. Put back afterwards.
    /// </summary>
    [Test, Order(7)]
    public async Task A_wal_segment_replaced_by_another_segments_bytes_ends_a_latest_restore_short()
    {
        var (afterBackup, latest) = await SegmentsPastTheSecondBackupAsync();
        var damaged = Blobs.GetBlobClient(await BlobNamedAsync($"/{afterBackup}.gz"));
        var original = (await damaged.DownloadContentAsync()).Value.Content;
        var another = (await Blobs.GetBlobClient(await BlobNamedAsync($"/{afterBackup.Next()}.gz")).DownloadContentAsync()).Value.Content;
        await damaged.UploadAsync(another, overwrite: true);
        try
        {
            var failure = await DrillFailsAsync(latest);
            AssertOneLineCause(failure, FailureCause.WalArchivingFailed, "checks failed: - the restore replayed WAL to the end of the archive: replay ended at");
            Assert.That(failure.Message, Does.Contain($"the first segment not replayed is {afterBackup}").And.Contain("unexpected pageaddr"));
        }
        finally
        {
            await damaged.UploadAsync(original, overwrite: true);
        }
    }

    /// <summary>
    /// A history file that declares a timeline where the store holds no WAL of it (a copy promoted by hand that archived
    /// into this path, then nothing): latest follows it. Failed before: the archive-end check passed replay that ended
    /// on a timeline after the backup's as "followed a later timeline". Removed afterwards.
    /// </summary>
    [Test, Order(8)]
    public async Task A_history_file_forking_into_no_WAL_fails_a_latest_restore_naming_the_fork()
    {
        var (afterBackup, latest) = await SegmentsPastTheSecondBackupAsync();
        var history = Blobs.GetBlobClient($"{Store.ServerName}/wals/00000002.history.gz");
        await history.UploadAsync(GzipText.Of($"1\t{new RestoreDrills.Backups.WalPosition(afterBackup.StartLsn())}\tpromoted by hand\n"), overwrite: true);
        try
        {
            var failure = await DrillFailsAsync(latest);
            AssertOneLineCause(failure, FailureCause.WalArchivingFailed, "the restore replayed WAL to the end of the archive: timeline 2 forks from timeline 1 at");
            // Measured: PostgreSQL follows timeline 2 and, finding none of its segments, replays timeline 1's past the fork as its own.
            Assert.That(failure.Message, Does.Contain("but the store holds no WAL of timeline 2 from there on").And.Match("replay ended at [0-9A-F]+/[0-9A-F]+ on timeline 2"));
        }
        finally
        {
            await history.DeleteIfExistsAsync();
        }
    }

    [Test, Order(9)]
    public async Task A_corrupt_data_page_in_the_base_backup()
    {
        // Flip bytes in the middle of a heap page of backup_test inside the second backup's data.tar.gz.
        var relation = await RelationFileAsync();
        _secondArchive = (await Blobs.GetBlobClient(await BlobNamedAsync($"/{Second.BackupId}/data.tar.gz")).DownloadContentAsync()).Value.Content.ToArray();
        await RewriteBaseArchiveAsync(Second.BackupId, (name, content) =>
        {
            if (!name.EndsWith(relation, StringComparison.Ordinal)) return content;
            Assert.That(content.Length, Is.GreaterThanOrEqualTo(8192 * 2), "backup_test spans several pages");
            for (var i = 0; i < 64; i++) content[8192 + 1000 + i] ^= 0xFF; // page 1: no WAL replay rewrites it before the backup's end
            return content;
        });
        var failure = await DrillFailsAsync(RecoveryTarget.Immediate(Second.BackupId));
        AssertOneLineCause(failure, FailureCause.IntegrityViolation, "backup_test cannot be read");
    }

    [Order(10)]
    [TestCase("truncated", TestName = "A_truncated_base_backup_archive")]
    [TestCase("corrupted", TestName = "A_base_backup_archive_with_corrupt_bytes")]
    public async Task A_damaged_base_backup_archive(string damage)
    {
        var blob = Blobs.GetBlobClient(await BlobNamedAsync($"/{Second.BackupId}/data.tar.gz"));
        var bytes = _secondArchive ??= (await blob.DownloadContentAsync()).Value.Content.ToArray();
        var damaged = bytes.ToArray();
        if (damage == "truncated") damaged = damaged[..(damaged.Length / 2)];
        else for (var i = damaged.Length / 2; i < damaged.Length / 2 + 1024; i++) damaged[i] ^= 0x5A;
        await blob.UploadAsync(new BinaryData(damaged), overwrite: true);
        var failure = await DrillFailsAsync(RecoveryTarget.Immediate(Second.BackupId));
        var message = FailureCategories.Message(failure.Cause, failure.Message);
        TestContext.Progress.WriteLine($"[store faults] {damage} archive: {message}");
        // One category and a message that names the tool, the backup and what broke. Where the flipped bytes land decides
        // how gzip/tar notice them: measured here both "invalid compressed data" and an extraction that ends early.
        Assert.That(failure.Cause, Is.EqualTo(FailureCause.RestoreFailed), message);
        Assert.That(message, Does.StartWith($"Restore failure: barman-cloud-restore of backup {Second.BackupId} "));
        Assert.That(message, damage == "truncated"
            ? Does.Contain("unexpected end of data")
            : Does.Contain("invalid compressed data").Or.Contain("but the data directory is incomplete"));
        Assert.That(message, Does.Not.Contain("\n"));
    }

    private byte[]? _secondArchive;

    /// <summary>At CNPG's default maxParallel 1 and at the runbook's 5: the segments prefetched past the gap must not carry replay over it.</summary>
    [Test, Order(11)]
    public async Task A_missing_wal_segment_mid_chain()
    {
        // The segment holding the markers and the target, after the first backup.
        var afterBackup = WalSegmentName.Parse(First.EndWal).Next();
        await Blobs.GetBlobClient(await BlobNamedAsync($"/{afterBackup}.gz")).DeleteAsync();

        foreach (var maxParallel in new[] { 1, 5 })
        {
            var toTime = await RestoreFromAsync(Store, First.BackupId, Prep.Target with { BackupId = First.BackupId }, walMaxParallel: maxParallel);
            AssertOneLineCause(toTime, FailureCause.TargetNotReached, "recovery ended before configured recovery target was reached");

            // To the end of the archive, PostgreSQL promotes quietly with fewer rows: the store says replay ended short, and where.
            Drill.WalMaxParallel = maxParallel;
            var toLatest = await DrillFailsAsync(new RecoveryTarget(RecoveryTargetKind.Latest, "", First.BackupId));
            AssertOneLineCause(toLatest, FailureCause.WalArchivingFailed, "checks failed: - the restore replayed WAL to the end of the archive: replay ended at");
            Assert.That(toLatest.Message, Does.Contain($"the first segment not replayed is {afterBackup} (missing from the store)")
                .And.Contain("marker row(s) written before the target missing"), $"maxParallel {maxParallel}: the rows it lost are named too");
        }
        Drill.WalMaxParallel = null;
    }

    [Test, Order(12)]
    public async Task A_missing_first_wal_segment_of_a_backup()
    {
        await Blobs.GetBlobClient(await BlobNamedAsync($"/{First.BeginWal}.gz")).DeleteAsync();
        var failure = await RestoreFromAsync(Store, First.BackupId, RecoveryTarget.Immediate(First.BackupId));
        AssertOneLineCause(failure, FailureCause.RestoreFailed, "PostgreSQL stopped during recovery");
    }

    private async Task<string> RelationFileAsync()
    {
        await using var db = await Drill.Source.OpenAsync(CancellationToken.None);
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT pg_relation_filepath('backup_test')", db);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Downloads a base backup's data.tar.gz, lets <paramref name="change"/> alter member contents, uploads it back.</summary>
    private async Task RewriteBaseArchiveAsync(string backupId, Func<string, byte[], byte[]> change)
    {
        var blob = Blobs.GetBlobClient(await BlobNamedAsync($"/{backupId}/data.tar.gz"));
        await blob.UploadAsync(await BaseArchive.RewriteAsync((await blob.DownloadContentAsync()).Value.Content, change), overwrite: true);
    }
}
