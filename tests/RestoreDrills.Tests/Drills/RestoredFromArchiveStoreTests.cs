namespace RestoreDrills.Tests.Drills;

/// <summary>
/// Timeline 2 made by a restore from the store: the primary lost after its WAL was archived, a server restored from the
/// newest backup to the end of the archive promoted in its place, archiving on under the same server name. The old
/// timeline ended whole (its last segment was restored from the archive, so PostgreSQL archives no .partial of it).
/// </summary>
[TestFixture]
public sealed class RestoredFromArchiveStoreTests : NewTimelineStoreTests
{
    protected override TimelineChangeKind Change => TimelineChangeKind.RestoreFromArchive;

    [Test]
    public async Task The_store_holds_a_history_file_and_the_new_timeline_from_the_segment_after_the_old_ones_last()
    {
        var (files, fork) = await StoreAfterTheChangeAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(files, Does.Contain(History));
            Assert.That(files.Where(f => f.Contains(".partial", StringComparison.Ordinal)), Is.Empty, "the last segment of timeline 1 was whole");
            Assert.That(files, Does.Contain($"{WalSegmentName.FromOrdinal(1, fork - 1)}.gz"), "timeline 1 up to the segment before the fork");
            Assert.That(files, Does.Contain($"{WalSegmentName.FromOrdinal(2, fork)}.gz"), "timeline 2 from the fork on");
        }
    }
}
