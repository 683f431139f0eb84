namespace RestoreDrills.Tests.Drills;

/// <summary>
/// Timeline 2 made by a switchover (a standby joined with pg_basebackup, the primary stopped, the standby promoted with
/// pg_promote and archived on): the new timeline's history file, the old timeline's last segment only as .partial, the
/// new timeline's WAL from the fork segment on.
/// </summary>
[TestFixture]
public sealed class PromotedStoreTests : NewTimelineStoreTests
{
    protected override TimelineChangeKind Change => TimelineChangeKind.Switchover;

    [Test]
    public async Task The_store_holds_what_a_promotion_writes_a_history_file_a_partial_parent_segment_and_the_child_from_the_fork_on()
    {
        var (files, fork) = await StoreAfterTheChangeAsync();
        var parentFork = WalSegmentName.FromOrdinal(1, fork).ToString();
        var childFork = WalSegmentName.FromOrdinal(2, fork).ToString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(files, Does.Contain(History));
            Assert.That(files, Does.Contain($"{parentFork}.partial.gz"), "the old timeline's last segment, as PostgreSQL archives it at promotion");
            Assert.That(files, Does.Not.Contain($"{parentFork}.gz"), "never archived whole: the old primary stopped inside it");
            Assert.That(files, Does.Contain($"{childFork}.gz"), "the new timeline's copy of the fork segment");
        }
    }
}
