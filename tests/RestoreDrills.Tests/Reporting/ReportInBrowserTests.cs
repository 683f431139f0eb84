using System.Text.RegularExpressions;

namespace RestoreDrills.Tests.Reporting;

/// <summary>
/// The report checked as an auditor sees it: results of a fixture run (one passed, one failed, one broken drill)
/// go through the project's report build, and headless Chromium opens the single HTML file from disk.
/// </summary>
[TestFixture]
[Category("Report")]
[NonParallelizable]
public sealed partial class ReportInBrowserTests
{
    private static readonly TimeSpan RenderBudget = TimeSpan.FromSeconds(8);
    private string _dir = null!;
    private string _report = null!;
    private string _history = null!;
    private IReadOnlyList<HeadlessChromium.Page> _resultPages = [];

    [OneTimeSetUp]
    public async Task BuildReportFromAFixtureRunAsync()
    {
        BuildServer.Require(ReportGenerator.IsInstalled, "the report generator (tools/report/node_modules)");
        BuildServer.Require(HeadlessChromium.Executable is not null, "Chromium (Debian package chromium)");
        _dir = Directory.CreateTempSubdirectory("restoredrills-report-test-").FullName;
        _history = Path.Combine(_dir, "history.jsonl");
        var results = Path.Combine(_dir, "results");
        WriteFixtureRun(results);
        _report = Path.Combine(_dir, "report");
        var run = await ReportGenerator.BuildAsync(results, _report, _history);
        Assert.That(run.ExitCode, Is.Zero, run.Output);
        var html = await File.ReadAllTextAsync(Path.Combine(_report, "index.html"));
        var ids = ResultIds().Matches(html).Select(m => m.Groups[1].Value).Distinct().ToList();
        var pages = new List<HeadlessChromium.Page>();
        foreach (var id in ids)
            pages.Add(await HeadlessChromium.OpenAsync(ReportUrl("#" + id), RenderBudget));
        _resultPages = pages;
    }

    [OneTimeTearDown]
    public void Remove()
    {
        if (_dir is not null) Directory.Delete(_dir, recursive: true);
    }

    private string ReportUrl(string fragment = "") => new Uri(Path.Combine(_report, "index.html")).AbsoluteUri + fragment;

    private HeadlessChromium.Page PageOf(string drillId) =>
        _resultPages.SingleOrDefault(p => p.Text.Contains($"{drillId}:", StringComparison.Ordinal))
        ?? throw new AssertionException($"no result page shows {drillId}; pages: {string.Join(" | ", _resultPages.Select(p => p.Text[..Math.Min(120, p.Text.Length)]))}");

    [Test]
    public void Each_drill_shows_its_status_and_its_rto()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_resultPages, Has.Count.EqualTo(3));
            Assert.That(PageOf("DR-PITR-TIME").Text, Does.Contain("Passed").And.Contain("RTO (download to promoted) within budget: 12.345 s <= 300 s"));
            Assert.That(PageOf("DR-PITR-LSN").Text, Does.Contain("Failed").And.Contain("RTO (download to promoted) within budget: 7.500 s <= 300 s")
                .And.Contain("Integrity violation: 1 of 2 checks failed"));
            Assert.That(PageOf("DR-RESTORE-LATEST").Text, Does.Contain("Broken").And.Contain("Infrastructure or setup problem: the docker engine went away"));
        });
    }

    [Test]
    public async Task The_overview_counts_the_drills_by_status()
    {
        var overview = await HeadlessChromium.OpenAsync(ReportUrl(), RenderBudget);
        Assert.That(overview.Text, Does.Contain("RestoreDrills").And.Contain("Total 3").And.Contain("postgres.version 15.18"));
    }

    [Test]
    public async Task The_report_makes_no_request_outside_its_file()
    {
        var overview = await HeadlessChromium.OpenAsync(ReportUrl(), RenderBudget);
        var outside = overview.PageRequests.Concat(_resultPages.SelectMany(p => p.PageRequests))
            .Where(url => !url.StartsWith("file:", StringComparison.Ordinal) && !url.StartsWith("data:", StringComparison.Ordinal)
                          && !url.StartsWith("blob:", StringComparison.Ordinal)).ToList();
        Assert.That(outside, Is.Empty);
    }

    [Test]
    public async Task The_trend_dashboard_shows_the_run_level_charts_and_stays_inside_its_file()
    {
        var dashboard = await HeadlessChromium.OpenAsync(new Uri(Path.Combine(_report, "dashboard", "index.html")).AbsoluteUri, RenderBudget);
        Assert.Multiple(() =>
        {
            Assert.That(dashboard.Text, Does.Contain("Current status").And.Contain("Status dynamics"));
            Assert.That(dashboard.PageRequests.Where(url => !url.StartsWith("file:", StringComparison.Ordinal) && !url.StartsWith("data:", StringComparison.Ordinal)
                                                            && !url.StartsWith("blob:", StringComparison.Ordinal)), Is.Empty);
        });
    }

    [Test]
    public async Task The_request_check_sees_a_page_that_does_reach_out()
    {
        // Control for the test above: a page that loads an image from a (dead) loopback address must be seen.
        var page = Path.Combine(_dir, "reaches-out.html");
        await File.WriteAllTextAsync(page, "<html><body>x<img src=\"http://127.0.0.1:9/pixel.png\"></body></html>");
        var opened = await HeadlessChromium.OpenAsync(new Uri(page).AbsoluteUri, TimeSpan.FromSeconds(2));
        Assert.That(opened.PageRequests, Does.Contain("http://127.0.0.1:9/pixel.png"));
    }

    [Test]
    public void A_failed_drill_is_filed_under_its_cause_and_a_passed_one_under_none()
    {
        using var categories = System.Text.Json.JsonDocument.Parse(EmbeddedFile("widgets/categories.json"));
        var byName = categories.RootElement.GetProperty("nodes").EnumerateObject().Select(n => n.Value)
            .Where(n => n.GetProperty("type").GetString() == "category")
            .ToDictionary(n => n.GetProperty("name").GetString()!, n => n.GetProperty("statistic"));
        Assert.Multiple(() =>
        {
            Assert.That(byName.Keys, Is.EquivalentTo(new[] { "Integrity violation", "Infrastructure or setup problem" }));
            Assert.That(byName["Integrity violation"].GetProperty("failed").GetInt32(), Is.EqualTo(1));
            Assert.That(byName["Infrastructure or setup problem"].GetProperty("broken").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_second_run_continues_the_history_of_each_drill()
    {
        var results = Path.Combine(_dir, "results-2");
        WriteFixtureRun(results);
        var second = Path.Combine(_dir, "report-2");
        var run = await ReportGenerator.BuildAsync(results, second, _history);
        Assert.That(run.ExitCode, Is.Zero, run.Output);
        Assert.That(File.ReadAllLines(_history).Count(l => l.Trim().Length > 0), Is.EqualTo(2));
        var html = await File.ReadAllTextAsync(Path.Combine(second, "index.html"));
        var id = ResultIds().Matches(html).Select(m => m.Groups[1].Value).First();
        var page = await HeadlessChromium.OpenAsync(new Uri(Path.Combine(second, "index.html")).AbsoluteUri + "#" + id, RenderBudget);
        Assert.That(page.Text, Does.Contain("History 1"), "the drill's page lists the previous run");
        Assert.That(PageOf("DR-PITR-TIME").Text, Does.Not.Contain("History 1"), "the first report had no previous run");
    }

    /// <summary>Three drills as the drills project writes them: passed, failed (integrity), broken (setup).</summary>
    private static void WriteFixtureRun(string directory)
    {
        var writer = new AllureResultsWriter(directory);
        writer.WriteCategories(FailureCategories.All);
        writer.WriteEnvironment(new Dictionary<string, string> { ["postgres.version"] = "15.18", ["platform"] = "containers" });
        writer.WriteExecutor(new AllureExecutor("fixture run", "local", BuildName: "fixture"));
        var start = DateTimeOffset.UtcNow.AddMinutes(-2);

        Write(RecoveryTargetKind.Time, AllureStatus.Passed, null, j =>
        {
            j.Check(CheckResult.Pass(CheckKind.Integrity, "the five canonical rows are present", "all five"));
            j.Check(CheckResult.Pass(CheckKind.Budget, "RTO (download to promoted) within budget", "12.345 s <= 300 s"));
            j.Attach("timings.json", new DrillTimings(8, 1, 2, 12.345, 0.02).ToJson(), "application/json", "json");
        });
        Write(RecoveryTargetKind.Lsn, AllureStatus.Failed,
            "Integrity violation: 1 of 2 checks failed:\n- rows inserted after the target are absent: row(s) inserted after the target are present: id=5009", j =>
            {
                j.Check(CheckResult.Fail(CheckKind.Integrity, "rows inserted after the target are absent", "row(s) inserted after the target are present: id=5009"));
                j.Check(CheckResult.Pass(CheckKind.Budget, "RTO (download to promoted) within budget", "7.500 s <= 300 s"));
            });
        Write(RecoveryTargetKind.Latest, AllureStatus.Broken, "Infrastructure or setup problem: the docker engine went away", _ => { });

        void Write(RecoveryTargetKind kind, AllureStatus status, string? message, Action<DrillJournal> work)
        {
            var journal = new DrillJournal(writer, TextWriter.Null, kind.Id());
            work(journal);
            writer.WriteResult(DrillResultBuilder.Build(DrillCatalog.For(kind), journal, status, message, null, start, start.AddSeconds(30), "fixture-host"));
        }
    }

    /// <summary>One of the report's data files, embedded base64 in the single HTML file, decoded.</summary>
    private string EmbeddedFile(string name)
    {
        var html = File.ReadAllText(Path.Combine(_report, "index.html"));
        var match = EmbeddedFiles().Matches(html).FirstOrDefault(m => m.Groups[1].Value == name)
            ?? throw new AssertionException($"the report embeds no {name}");
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(match.Groups[2].Value));
    }

    [GeneratedRegex(@"data/test-results/([0-9a-f]{32})\.json")] private static partial Regex ResultIds();
    [GeneratedRegex("\"((?:data|widgets)/[^\"]+)\"\\s*[:,]\\s*\"([A-Za-z0-9+/=]+)\"")] private static partial Regex EmbeddedFiles();
}
