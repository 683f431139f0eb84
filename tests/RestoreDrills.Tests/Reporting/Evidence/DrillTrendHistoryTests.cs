using static RestoreDrills.Tests.Reporting.Evidence.EvidenceSamples;

namespace RestoreDrills.Tests.Reporting.Evidence;

public sealed class DrillTrendHistoryTests
{
    private string _file = null!;

    [SetUp]
    public void NewFile() => _file = Path.Combine(Directory.CreateTempSubdirectory("restoredrills-trend-").FullName, "history", "drill-trend.jsonl");

    [TearDown]
    public void Remove() => Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(_file))!, recursive: true);

    [Test]
    public void A_drills_last_runs_oldest_first_other_drills_apart()
    {
        var history = new DrillTrendHistory(_file);
        foreach (var day in new[] { 3, 1, 2, 4 }) history.Append(Run($"r{day}", day));
        history.Append(Run("r4", 4, drillId: "DR-PITR-LSN"));
        Assert.Multiple(() =>
        {
            Assert.That(history.Last("DR-PITR-TIME", 3).Select(e => e.RunId), Is.EqualTo(new[] { "r2", "r3", "r4" }));
            Assert.That(history.Last("DR-PITR-LSN", 3).Select(e => e.RunId), Is.EqualTo(new[] { "r4" }));
        });
    }

    [Test]
    public void Evidence_survives_the_round_trip()
    {
        var history = new DrillTrendHistory(_file);
        var written = Run("r1", 1, rpo: null, verdict: "failed");
        history.Append(written);
        Assert.That(history.Read().Single(), Is.EqualTo(written));
    }

    [Test]
    public void A_line_cut_short_by_a_killed_run_is_skipped()
    {
        var history = new DrillTrendHistory(_file);
        history.Append(Run("r1", 1));
        File.AppendAllText(_file, "{\"runId\":\"r2\",\"at\":\"2026-11-02T02:00:00+00:00\",\"drillId\":\"DR-PI");
        File.AppendAllText(_file, "\n");
        history.Append(Run("r3", 3));
        Assert.That(history.Last("DR-PITR-TIME", 14).Select(e => e.RunId), Is.EqualTo(new[] { "r1", "r3" }));
    }

    [Test]
    public void One_run_counts_once()
    {
        var history = new DrillTrendHistory(_file);
        history.Append(Run("r1", 1, rto: 10));
        history.Append(Run("r1", 1, rto: 12));
        Assert.That(history.Last("DR-PITR-TIME", 14).Single().Figures!.RtoSeconds, Is.EqualTo(12));
    }

    [Test]
    public void No_file_yet_is_no_history()
    {
        Assert.That(new DrillTrendHistory(_file).Last("DR-PITR-TIME", 14), Is.Empty);
    }
}
