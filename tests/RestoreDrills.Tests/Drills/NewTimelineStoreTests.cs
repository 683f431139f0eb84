using Dapper;
using static RestoreDrills.Tests.Support.ExistingStoreRun;

namespace RestoreDrills.Tests.Drills;

/// <summary>
/// A store whose timeline PostgreSQL itself changed after the backup (<see cref="Change"/>), rows written on the new
/// timeline, the end of the archive the target: what the change left in the store is the server's and barman-cloud's
/// own. Both drills must pass it with every row written after the promotion, and both must fail the same store without
/// its newest history file, naming the segments a restore would not read. Failed before (the four drill tests of
/// <see cref="PromotedStoreTests"/>, measured): the inventory required the parent's fork segment whole ("the parent's
/// segment … at the fork is not in the store"), so the healthy store failed; and the archive's end was the newest
/// segment of the timeline latest follows, so without the history file a restore that stayed on timeline 1 passed.
/// </summary>
public abstract class NewTimelineStoreTests : PreparedDrillTest
{
    protected override RecoveryTargetKind TargetKind => RecoveryTargetKind.Latest;

    /// <summary>How the source came to timeline 2.</summary>
    protected abstract TimelineChangeKind Change { get; }

    protected override RestoreDrill NewDrill(DrillJournal journal) => new(ContainersRun.Platform, TargetKind, journal) { TimelineChanges = [Change] };

    protected string Server => Drill.Source.Store.ServerName;
    private static Azure.Storage.Blobs.BlobContainerClient Blobs => ContainersRun.Platform.Store.Blobs;
    protected const string History = "00000002.history.gz";

    /// <summary>The store's WAL file names (printed to the test's output) and the fork segment.</summary>
    protected async Task<(IReadOnlyList<string> Files, long Fork)> StoreAfterTheChangeAsync()
    {
        var files = await StoreCopy.WalFilesAsync(Server);
        TestContext.Out.WriteLine(string.Join('\n', files));
        return (files, await ForkSegmentAsync());
    }

    /// <summary>The fork segment: the one holding the switch point, in the new timeline's history file.</summary>
    protected async Task<long> ForkSegmentAsync()
    {
        var content = (await Blobs.GetBlobClient($"{Server}/wals/{History}").DownloadContentAsync()).Value.Content;
        var fork = TimelineFork.Parse(History, GzipText.Read(content));
        return WalSegmentName.Containing(1, fork.ForkPoint.Value).Ordinal();
    }

    [Test]
    public async Task The_containers_latest_drill_follows_the_new_timeline_and_restores_every_row_written_after_the_promotion()
    {
        var restore = await Drill.RestoreAsync(Prep, CancellationToken.None);
        var outcome = await Drill.VerifyAsync(Prep, restore, CancellationToken.None);

        Assert.That(outcome.Failures, Is.Empty, () => outcome.FailureMessage);
        Assert.That(outcome.Checks.Select(c => c.Name), Does.Contain("the rows written on each new timeline of the source are restored")
            .And.Contain(ArchiveEndCheck.Name).And.Contain("backup_test equals the source at the target, row by row"));
        Assert.That(restore.Recovery.Timeline, Is.EqualTo(3), "replayed timeline 2, promoted onto 3");
    }

    [Test]
    public async Task The_existing_store_drill_restores_it_to_latest_and_the_rows_equal_the_sources_after_the_promotion()
    {
        TableSnapshot? restored = null;
        var (outcome, failure, _) = await DrillAsync(Settings(Server), async server =>
        {
            await using var db = await server.OpenAsync(CancellationToken.None);
            restored = await TableSnapshot.ReadAsync(db);
        });

        Assert.That(failure, Is.Null, () => failure!.Message);
        Assert.That(outcome!.Failures, Is.Empty, () => outcome.FailureMessage);
        Assert.That(RowDifference.Between(Prep.Expected, restored!), Is.Empty, "every row of the source at the end of the archive");
        Assert.That(restored!.Rows.Keys, Is.SupersetOf(Prep.RowsAfterTimelineChanges));
    }

    [Test]
    public async Task Without_its_newest_history_file_the_existing_store_drill_fails_at_inspection_naming_the_segments_it_would_not_read()
    {
        var copy = await StoreCopy.CopyAsync(Server, "no-history", (name, content) => Task.FromResult(name.EndsWith(History, StringComparison.Ordinal) ? null : content));
        var childFork = WalSegmentName.FromOrdinal(2, await ForkSegmentAsync()).ToString();

        var (outcome, failure, restored) = await DrillAsync(Settings(copy));

        Assert.That(outcome, Is.Null, "a restore that stays on timeline 1 must not pass");
        TestContext.Out.WriteLine(failure!.Message);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failure.Cause, Is.EqualTo(FailureCause.WalArchivingFailed));
            Assert.That(failure.Message, Does.StartWith("inspection: a restore to latest from backup").And.Contain("stays on timeline 1")
                .And.Contain($"timeline 2: {childFork}..").And.Contain("no history file leads to timeline 2 (00000002.history is not in the store)"));
            Assert.That(restored, Is.False, "found by inspection, before any restore");
        }
    }

    [Test]
    public async Task Without_its_newest_history_file_the_containers_latest_drill_fails_naming_the_segments_it_did_not_read()
    {
        var history = Blobs.GetBlobClient($"{Server}/wals/{History}");
        var kept = (await history.DownloadContentAsync()).Value.Content;
        var childFork = WalSegmentName.FromOrdinal(2, await ForkSegmentAsync()).ToString();
        await history.DeleteAsync();
        try
        {
            var restore = await Drill.RestoreAsync(Prep, CancellationToken.None);
            var outcome = await Drill.VerifyAsync(Prep, restore, CancellationToken.None);

            var check = outcome.Checks.Single(c => c.Name == ArchiveEndCheck.Name);
            TestContext.Out.WriteLine(check.Detail);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(check.Passed, Is.False);
                Assert.That(outcome.Cause, Is.EqualTo(FailureCause.WalArchivingFailed));
                Assert.That(check.Detail, Does.Contain("stayed on timeline 1").And.Contain($"timeline 2: {childFork}..")
                    .And.Contain("no history file leads to timeline 2"));
                Assert.That(outcome.Failures.Select(f => f.Name), Does.Contain("the rows written on each new timeline of the source are restored"));
            }
        }
        finally
        {
            await history.UploadAsync(kept, overwrite: true);
        }
    }
}
