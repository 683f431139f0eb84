namespace RestoreDrills.Tests.Verification;

public sealed class SourceDurabilityTests
{
    private static Dictionary<string, string> Safe() => new()
    {
        ["fsync"] = "on", ["full_page_writes"] = "on", ["synchronous_commit"] = "on", ["data_checksums"] = "on", ["wal_level"] = "replica",
    };

    [Test]
    public void A_source_with_every_durability_setting_on_is_fair()
    {
        Assert.That(SourceDurability.Problems(Safe()), Is.Empty);
    }

    /// <summary>The drill's old rule checked fsync, full_page_writes and data_checksums only: synchronous_commit = off passed.</summary>
    [TestCase("fsync")]
    [TestCase("full_page_writes")]
    [TestCase("synchronous_commit")]
    [TestCase("data_checksums")]
    public void Each_durability_setting_off_is_named(string setting)
    {
        var settings = Safe();
        settings[setting] = "off";
        Assert.That(SourceDurability.Problems(settings), Is.EqualTo(new[] { $"{setting} = off (needs on)" }));
    }

    [Test]
    public void A_setting_that_was_not_read_is_a_problem_too()
    {
        var settings = Safe();
        settings.Remove("synchronous_commit");
        Assert.That(SourceDurability.Problems(settings), Is.EqualTo(new[] { "synchronous_commit = unknown (needs on)" }));
    }
}
