using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Dapper;
using static RestoreDrills.Tests.Support.ExistingStoreRun;

namespace RestoreDrills.Tests.Drills;

/// <summary>
/// The existing-store drill on stores built with barman-cloud by a real source: a good store passes (with the
/// recorded target, and with a list+read SAS to the end of the archive, leaving the store unchanged), and each
/// broken copy of it fails with its category and a one-line cause, before any restore where inspection can tell.
/// </summary>
[TestFixture]
public sealed class ExistingStoreTests : PreparedDrillTest
{
    protected override RecoveryTargetKind TargetKind => RecoveryTargetKind.Name;

    private string Server => Drill.Source.Store.ServerName;
    private static Azure.Storage.Blobs.BlobContainerClient Blobs => ContainersRun.Platform.Store.Blobs;

    [OneTimeSetUp]
    public async Task ArchiveOneMoreSegmentAsync()
    {
        // One more archived segment after the target's, so a copy can lose a segment in the middle of the chain.
        await using (var db = await Drill.Source.OpenAsync(CancellationToken.None))
            await db.ExecuteAsync("INSERT INTO backup_test (name) VALUES ('after the last switch')");
        await Drill.Source.SwitchWalAndWaitArchivedAsync(ContainersRun.Platform.Settings.Timeouts.WalArchived, CancellationToken.None);
    }


    [Test]
    public async Task A_good_store_restores_to_the_recorded_target_and_equals_the_recorded_state()
    {
        var (outcome, failure, _) = await DrillAsync(Settings(Server, new() { ["RESTOREDRILLS_STORE_TARGET"] = "recorded" }));

        Assert.That(failure, Is.Null, () => failure!.Message);
        Assert.That(outcome!.Failures, Is.Empty, () => outcome.FailureMessage);
        Assert.That(outcome.Target, Is.EqualTo(Prep.Target));
        Assert.That(outcome.Checks.Select(c => c.Name), Does.Contain("backup_test equals the recorded state at the target")
            .And.Contain("the recorded marker rows are restored").And.Contain("the runbook's canonical rows are in backup_test"));
    }

    [Test]
    public async Task A_good_store_restores_to_its_end_with_a_list_and_read_sas_and_is_left_unchanged()
    {
        var sas = Blobs.GenerateSasUri(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List, DateTimeOffset.UtcNow.AddHours(1)).Query;
        var before = await StoreListing.ContentsAsync();

        var (outcome, failure, _) = await DrillAsync(Settings(Server, new() { ["RESTOREDRILLS_STORE_SAS_TOKEN"] = sas }));

        Assert.That(failure, Is.Null, () => failure!.Message);
        Assert.That(outcome!.Failures, Is.Empty, () => outcome.FailureMessage);
        Assert.That(outcome.Checks.Select(c => c.Name), Does.Contain("the recorded marker rows are restored"));
        Assert.That(await StoreListing.ContentsAsync(), Is.EqualTo(before), "no blob added, changed or deleted");
    }

    /// <summary>
    /// Failed before: no test made these budgets fail, and a stale backup was filed as "Timing budget exceeded" here
    /// while the CNPG preflight filed it as a backup failure.
    /// </summary>
    [Test]
    public async Task A_stale_backup_is_a_backup_failure_and_a_slow_restore_a_budget_finding_both_named_with_their_settings()
    {
        var settings = Settings(Server, new() { ["RESTOREDRILLS_STORE_TARGET"] = "immediate" }) with
        {
            MaxBackupAge = TimeSpan.FromSeconds(1), // the store's backups are minutes old
            RtoBudget = TimeSpan.FromMilliseconds(1),
        };
        var (outcome, failure, _) = await DrillAsync(settings);

        Assert.That(failure, Is.Null, () => failure!.Message);
        Assert.Multiple(() =>
        {
            Assert.That(outcome!.Failures.Select(f => f.Name), Is.EquivalentTo(new[] { "newest restorable backup's age within budget", "RTO (download to promoted) within budget" }));
            Assert.That(outcome.Cause, Is.EqualTo(FailureCause.BackupFailed), "a stale backup outranks a slow restore");
            Assert.That(outcome.FailureMessage, Does.Contain("exceeds the budget of 1 s (RESTOREDRILLS_BUDGET_BACKUP_AGE_HOURS)")
                .And.Contain("exceeds the budget of 0.001 s (RESTOREDRILLS_BUDGET_RTO_SECONDS)"));
        });
    }

    /// <summary>
    /// Failed before ArchiveEndCheck: PostgreSQL promoted quietly at the replaced segment and, without a source to
    /// compare with, the drill passed a restore that ended short of the archive (its expectations held at the backup's end).
    /// </summary>
    [Test]
    public async Task A_segment_replaced_by_another_ends_a_latest_restore_short_and_the_drill_names_where()
    {
        var server = await BrokenCopyAsync(Breakage.WalSegmentReplaced);
        var (outcome, failure, _) = await DrillAsync(Settings(server)); // target latest

        Assert.That(failure, Is.Null, () => failure!.Message);
        var firstMissed = WalSegmentName.Parse(Prep.Backup.Backup.EndWal).Next();
        var check = outcome!.Failures.SingleOrDefault(f => f.Name == ArchiveEndCheck.Name);
        Assert.That(check, Is.Not.Null, () => $"the short replay was not caught: {string.Join("; ", outcome.Checks)}");
        TestContext.Progress.WriteLine($"[store faults] replaced segment: {FailureCategories.Message(outcome.Cause!.Value, check!.Detail)}");
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Cause, Is.EqualTo(FailureCause.WalArchivingFailed));
            Assert.That(check!.Detail, Does.Contain($"short of the archive's end").And.Contain($"the first segment not replayed is {firstMissed}")
                .And.Contain("unexpected pageaddr"));
        });
    }

    /// <summary>
    /// A history file that forks where the store holds no WAL of the new timeline: PostgreSQL would follow it (the newest
    /// history file) and stop at the fork. Failed before: history files were listed by name only, and the restore ran.
    /// </summary>
    [Test]
    public async Task A_history_file_forking_into_no_WAL_fails_a_restore_to_latest_at_inspection()
    {
        // An unchanged copy (the .backup file re-written byte for byte counts as the copy's change), then the history file.
        var copy = await CopyAsync("forked", (name, content) => Task.FromResult<BinaryData?>(
            name.Contains(".backup", StringComparison.Ordinal) ? BinaryData.FromBytes(content.ToArray()) : content));
        var fork = WalSegmentName.Parse(Prep.Backup.Backup.EndWal).Next().StartLsn();
        await Blobs.GetBlobClient($"{copy}/wals/00000002.history.gz").UploadAsync(GzipText.Of($"1\t{new RestoreDrills.Backups.WalPosition(fork)}\tpromoted by hand\n"), overwrite: true);

        var (outcome, failure, restored) = await DrillAsync(Settings(copy));

        Assert.That(outcome, Is.Null, () => $"the drill ran: {string.Join("; ", outcome!.Checks)}");
        Assert.Multiple(() =>
        {
            Assert.That(failure!.Cause, Is.EqualTo(FailureCause.WalArchivingFailed));
            Assert.That(failure.Message, Does.Contain("timeline 2 forks from timeline 1 at").And.Contain("but the store holds no WAL of timeline 2 from there on"));
            Assert.That(restored, Is.False, "stopped at inspection, nothing restored");
        });
    }

    [Test]
    public async Task A_good_store_restored_to_latest_replays_to_the_archives_end()
    {
        var (outcome, failure, _) = await DrillAsync(Settings(Server));
        Assert.That(failure, Is.Null, () => failure!.Message);
        Assert.That(outcome!.Checks.Single(c => c.Name == ArchiveEndCheck.Name).Passed, Is.True, () => string.Join("; ", outcome.Checks));
    }

    [Test]
    public async Task A_project_image_not_built_yet_is_named_with_the_command_that_builds_it()
    {
        await using var drill = new ExistingStoreDrill(ContainersRun.Platform,
            Settings(Server, new() { ["RESTOREDRILLS_POSTGRES_IMAGES"] = "15=restoredrills/postgres:not-built" }), Journal("not-built"));
        var failure = Assert.ThrowsAsync<InvalidSettingException>(() => drill.RunAsync(CancellationToken.None))!;
        Assert.Multiple(() =>
        {
            Assert.That(failure.Message, Is.EqualTo("the store's backup is PostgreSQL 15, and its image restoredrills/postgres:not-built is not built: " +
                                                    "run ./scripts/drill --postgres 15 once (it builds it), or name another in RESTOREDRILLS_POSTGRES_IMAGES"));
            Assert.That(drill.Restored, Is.Null, "nothing was started");
        });
    }

    [Test]
    public async Task An_unmet_expectation_is_an_integrity_violation()
    {
        var (outcome, failure, _) = await DrillAsync(Settings(Server, new()
        {
            ["RESTOREDRILLS_STORE_TARGET"] = "immediate",
            ["RESTOREDRILLS_EXPECT_TABLES"] = "backup_test,orders",
            ["RESTOREDRILLS_EXPECT_ROWS_MATCHING"] = "backup_test: name = 'never written'",
        }));

        Assert.That(failure, Is.Null, () => failure!.Message);
        Assert.That(outcome!.Cause, Is.EqualTo(FailureCause.IntegrityViolation));
        Assert.That(outcome.FailureMessage, Does.Contain("table(s) missing from the restored database: orders")
            .And.Contain("no row of backup_test matches name = 'never written'"));
        Assert.That(outcome.Failures, Has.Count.EqualTo(2));
    }

    [Test]
    public void A_backup_of_a_major_version_without_an_image_stops_before_any_restore()
    {
        var settings = Settings(Server, new() { ["RESTOREDRILLS_POSTGRES_IMAGES"] = "16=restoredrills/postgres:16" });
        var drill = new ExistingStoreDrill(ContainersRun.Platform, settings, Journal("major"));

        Assert.That(() => drill.RunAsync(CancellationToken.None), Throws.InstanceOf<InvalidSettingException>()
            .With.Message.Contains("was taken by PostgreSQL 15").And.Message.Contains("add 15=<image"));
        Assert.That(drill.Restored, Is.Null);
    }

    public enum Breakage { MissingWal, CorruptBaseArchive, ArchiveWithoutPgControl, MissingDataFile, NoBackups, WalSegmentReplaced }

    [TestCase(Breakage.MissingWal, FailureCause.WalArchivingFailed, "inspection: WAL gap after base backup", false)]
    [TestCase(Breakage.MissingDataFile, FailureCause.BackupFailed, "inspection: base backup", false)]
    [TestCase(Breakage.NoBackups, FailureCause.BackupFailed, "no base backup under", false)]
    [TestCase(Breakage.CorruptBaseArchive, FailureCause.RestoreFailed, "barman-cloud-restore of backup", true)]
    // A well-formed archive that lacks one file: barman-cloud-restore exits 0 (measured), the drill must not.
    [TestCase(Breakage.ArchiveWithoutPgControl, FailureCause.RestoreFailed, "barman-cloud-restore of backup", true)]
    public async Task A_broken_store_fails_with_its_category_and_a_one_line_cause(Breakage breakage, FailureCause cause, string message, bool restoreStarted)
    {
        var server = await BrokenCopyAsync(breakage);

        var (outcome, failure, restored) = await DrillAsync(Settings(server));

        Assert.That(outcome, Is.Null, "the drill must not pass");
        Assert.That(failure!.Cause, Is.EqualTo(cause), failure.Message);
        Assert.That(failure.Message, Does.StartWith(message).And.Not.Contain("\n"));
        Assert.That(restored, Is.EqualTo(restoreStarted), restoreStarted ? "found only by restoring" : "found by inspection, before any restore");
        TestContext.Out.WriteLine(FailureCategories.Message(failure.Cause, failure.Message));
    }

    [Test]
    public async Task A_corrupt_heap_page_in_the_stored_backup_is_named_by_the_physical_check()
    {
        string relation;
        await using (var db = await Drill.Source.OpenAsync(CancellationToken.None))
            relation = await db.ExecuteScalarAsync<string>("SELECT pg_relation_filepath('backup_test')") ?? "";
        var copy = await CopyAsync("corrupt-page", async (name, content) => !name.EndsWith("/data.tar.gz", StringComparison.Ordinal) ? content
            : await BaseArchive.RewriteAsync(content, (member, bytes) =>
            {
                if (member != relation) return bytes;
                for (var i = 0; i < 64; i++) bytes[8192 + 1000 + i] ^= 0xFF; // page 1: the backup's own copy, no WAL rewrites it
                return bytes;
            }));

        var (outcome, failure, _) = await DrillAsync(Settings(copy, new() { ["RESTOREDRILLS_STORE_TARGET"] = "immediate" }));

        Assert.That(failure, Is.Null, () => failure!.Message);
        Assert.That(outcome!.Cause, Is.EqualTo(FailureCause.IntegrityViolation));
        Assert.That(outcome.FailureMessage, Does.Contain(VerificationReport.PhysicalCheck).And.Contain("invalid page in block 1"));
    }

    /// <summary>A copy of the good store under a new server name, broken one way (the good store stays intact).</summary>
    private Task<string> BrokenCopyAsync(Breakage breakage)
    {
        var backup = Prep.Backup.Backup;
        var afterEnd = WalSegmentName.Parse(backup.EndWal).Next() + ".";
        static bool IsBaseArchive(string name) => name.EndsWith("/data.tar.gz", StringComparison.Ordinal);
        return CopyAsync(breakage.ToString().ToLowerInvariant(), async (name, content) => breakage switch
        {
            Breakage.MissingWal when name.Contains(afterEnd, StringComparison.Ordinal) => null,
            // Another segment's bytes under the right name: the inventory sees no gap; replay meets "unexpected pageaddr".
            Breakage.WalSegmentReplaced when name.Contains(afterEnd, StringComparison.Ordinal) && !name.Contains(".backup", StringComparison.Ordinal)
                => await SegmentAsync(backup.BeginWal),
            Breakage.MissingDataFile when IsBaseArchive(name) => null,
            Breakage.NoBackups when name.StartsWith("base/", StringComparison.Ordinal) => null,
            Breakage.ArchiveWithoutPgControl when IsBaseArchive(name) => await WithoutMemberAsync(content, "global/pg_control"),
            Breakage.CorruptBaseArchive when IsBaseArchive(name) => Corrupted(content),
            _ => content,
        });
    }

    /// <summary>A WAL segment of the good store as stored (compressed), by its name.</summary>
    private async Task<BinaryData> SegmentAsync(string segment)
    {
        await foreach (var blob in Blobs.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{Server}/wals/", CancellationToken.None))
            if (Path.GetFileName(blob.Name).StartsWith(segment + ".", StringComparison.Ordinal) && !blob.Name.Contains(".backup", StringComparison.Ordinal))
                return (await Blobs.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content;
        throw new AssertionException($"segment {segment} is not in the good store");
    }

    /// <summary>Bytes overwritten mid-stream: the gzip header is intact, the deflate stream is not.</summary>
    private static BinaryData Corrupted(BinaryData content)
    {
        var bytes = content.ToArray();
        new Random(7).NextBytes(bytes.AsSpan(bytes.Length / 2, 4096));
        return BinaryData.FromBytes(bytes);
    }

    private Task<string> CopyAsync(string suffix, Func<string, BinaryData, Task<BinaryData?>> transform) => StoreCopy.CopyAsync(Server, suffix, transform);

    /// <summary>The same gzip'd tar without one member: a complete, valid archive that is missing a file.</summary>
    private static async Task<BinaryData> WithoutMemberAsync(BinaryData archive, string member)
    {
        var dropped = 0;
        var result = await BaseArchive.RewriteAsync(archive, (name, content) => name == member && ++dropped > 0 ? null : content);
        Assert.That(dropped, Is.EqualTo(1), $"{member} is in the base archive");
        return result;
    }
}
