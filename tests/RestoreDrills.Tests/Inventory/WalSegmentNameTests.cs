namespace RestoreDrills.Tests.Inventory;

public sealed class WalSegmentNameTests
{
    [Test]
    public void Parses_timeline_log_and_segment()
    {
        var name = WalSegmentName.Parse("00000002000000A3000000FE");
        Assert.That(name, Is.EqualTo(new WalSegmentName(2, 0xA3, 0xFE)));
        Assert.That(name.ToString(), Is.EqualTo("00000002000000A3000000FE"));
    }

    [TestCase("00000001000000000000000")]
    [TestCase("00000001000000000000000G")]
    [TestCase("00000002.history")]
    public void Refuses_what_is_not_a_segment(string name) => Assert.That(WalSegmentName.TryParse(name, out _), Is.False);

    [Test]
    public void The_segment_after_the_last_of_a_log_is_the_first_of_the_next_log()
    {
        var last = WalSegmentName.Parse("0000000100000000000000FF");
        var next = last.Next();
        Assert.That(next.ToString(), Is.EqualTo("000000010000000100000000"));
    }

    [Test]
    public void Larger_segments_mean_fewer_per_log()
    {
        const long size64Mb = 64L * 1024 * 1024;
        Assert.That(WalSegmentName.FromOrdinal(1, 64, size64Mb).ToString(), Is.EqualTo("000000010000000100000000"));
    }

    [Test]
    public void An_lsn_lies_in_the_segment_that_holds_its_bytes()
    {
        Assert.That(WalSegmentName.Containing(1, 0x0_02000100).ToString(), Is.EqualTo("000000010000000000000002"));
        Assert.That(WalSegmentName.Containing(3, 0x1_FF000000).ToString(), Is.EqualTo("0000000300000001000000FF"));
    }
}
