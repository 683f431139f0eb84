namespace RestoreDrills.Tests.Cnpg;

public sealed class CnpgArchiveEndTests
{
    [TestCase("000000010000000000000004", "000000010000000000000004")]
    [TestCase("000000010000000000000004.00000028.backup", "000000010000000000000004", Description = "a backup label names its segment")]
    [TestCase("000000020000000000000005.partial", "000000020000000000000005", Description = "after a switchover")]
    [TestCase("00000002.history", null, Description = "a history file names no segment")]
    [TestCase("", null)]
    [TestCase(null, null)]
    public void The_archives_end_is_the_segment_the_source_reports_archived_last(string? reported, string? segment)
    {
        Assert.That(CnpgArchiveEnd.Segment(reported)?.ToString(), Is.EqualTo(segment));
    }
}
