using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace RestoreDrills.Tests.Reporting.Evidence;

/// <summary>
/// The certificate and the manifest of two consecutive runs of the six drills, written as the drills project writes
/// them, through the real report build, Chromium and poppler: what an auditor reads, keeps and checks.
/// </summary>
[TestFixture]
[Category("Report")]
[NonParallelizable]
public sealed partial class EvidencePackageTests
{
    private string _root = null!;
    private string _artifacts = null!;
    private string _results = null!;
    private string _report = null!;
    private EvidencePackage.Written _written = null!;
    private string _certificateText = "";

    private static readonly IReadOnlyList<DrillDefinition> Drills = DrillCatalog.RecoveryTargets;

    /// <summary>Each drill's RTO in the given run: distinct per drill and run, so a line shows whose it is.</summary>
    private static double Rto(int drill, int run) => 20 + drill * 3 + run * 0.5;

    [OneTimeSetUp]
    public async Task TwoRunsAsync()
    {
        BuildServer.Require(ReportGenerator.IsInstalled, "the report generator (tools/report/node_modules)");
        BuildServer.Require(ChromiumPdf.Executable is not null, "Chromium (Debian package chromium)");
        BuildServer.Require(Which("pdftotext") && Which("pdftoppm") && Which("pdfinfo") && Which("sha256sum"), "poppler-utils and sha256sum");
        _root = Directory.CreateTempSubdirectory("restoredrills-evidence-").FullName;
        _artifacts = Path.Combine(_root, "artifacts");
        var trend = new DrillTrendHistory(Path.Combine(_artifacts, "history", "drill-trend.jsonl"));
        for (var run = 1; run <= 2; run++)
        {
            _results = Path.Combine(_artifacts, "allure-results");
            _report = Path.Combine(_artifacts, "allure-report");
            if (Directory.Exists(_results)) Directory.Delete(_results, recursive: true);
            WriteRun($"run-{run}", run, trend);
            var built = await ReportGenerator.BuildAsync(_results, _report, Path.Combine(_artifacts, "history", "allure-history.jsonl"));
            Assert.That(built.ExitCode, Is.Zero, built.Output);
            var settings = Path.Combine(_root, "nunit.runsettings");
            await File.WriteAllTextAsync(settings, "<RunSettings />");
            _written = await EvidencePackage.BuildAsync(_artifacts, _results, _report, _root, [settings], TimeSpan.FromSeconds(120), CancellationToken.None);
        }
        _certificateText = await RenderedPage.PopplerAsync("pdftotext", "-layout", _written.CertificatePdf, "-");
        TestContext.Progress.WriteLine($"[evidence] certificate text:\n{_certificateText}");
    }

    [OneTimeTearDown]
    public void Remove()
    {
        if (_root is not null) Directory.Delete(_root, recursive: true);
    }

    private static bool Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));

    /// <summary>One run of the six drills: DR-PITR-LSN fails in run 2, DR-RESTORE-LATEST has no RPO objective to meet.</summary>
    private static void WriteRun(string runId, int run, DrillTrendHistory trend)
    {
        var writer = new AllureResultsWriter(Path.Combine(Path.GetDirectoryName(trend.Path)!, "..", "allure-results"));
        writer.WriteCategories(FailureCategories.All);
        writer.WriteEnvironment(new Dictionary<string, string>
        {
            ["run.id"] = runId, ["postgres.version"] = "15.18", ["barman-cloud.version"] = "3.4.0",
            ["postgres.image"] = "restoredrills/postgres:15 sha256:0123abcd", ["runner.os"] = "not on the certificate",
        });
        for (var i = 0; i < Drills.Count; i++)
        {
            var drill = Drills[i];
            var journal = new DrillJournal(writer, TextWriter.Null, drill.Id);
            journal.Attach("recovery log", $"LOG:  redo done ({drill.Id}, {runId})");
            var failed = run == 2 && drill.Id == "DR-PITR-LSN";
            journal.Record(new DrillFigures($"{drill.Kind.ToString()!.ToLowerInvariant()}=x", $"2026110{run}T0100{i:00}", Rto(i, run), 300,
                0.25 * (i + 1), 60, failed ? 13 : 14, 14));
            var status = failed ? AllureStatus.Failed : AllureStatus.Passed;
            var at = new DateTimeOffset(2026, 11, run, 2, i, 0, TimeSpan.Zero);
            var evidence = new DrillEvidence(runId, at, drill.Id, drill.Title, status.ToString().ToLowerInvariant(), journal.Figures);
            var (chart, facts) = DrillEvidenceWriter.Write(writer, trend, 14, evidence);
            writer.WriteResult(DrillResultBuilder.Build(drill, journal, status, failed ? "Integrity violation: 1 of 14 checks failed" : null, null,
                at.AddMinutes(-1), at, "host", first: chart, last: facts));
        }
        // A drill that could not run tonight: on the certificate by name and reason, not as a row.
        var cnpg = new DrillDefinition("CNPG-PITR-TIME", RestoreDrills.RecoveryTargets.RecoveryTargetKind.Time, "CNPG point-in-time restore", "proves", Package: "RestoreDrills.Cnpg");
        var skipped = new DrillEvidence(runId, new DateTimeOffset(2026, 11, run, 2, 9, 0, TimeSpan.Zero), cnpg.Id, cnpg.Title, DrillEvidence.Skipped, null,
            DrillEvidence.Summary("CNPG live drills need a Kubernetes cluster\nsecond line"));
        var (skippedChart, skippedFacts) = DrillEvidenceWriter.Write(writer, trend, 14, skipped);
        writer.WriteResult(DrillResultBuilder.Build(cnpg, new DrillJournal(writer, TextWriter.Null, cnpg.Id), AllureStatus.Skipped, "CNPG live drills need a Kubernetes cluster", null,
            skipped.At, skipped.At, "host", first: skippedChart, last: skippedFacts));
    }

    private string LineOf(string drillId) =>
        _certificateText.Split('\n').SingleOrDefault(l => l.Contains(drillId, StringComparison.Ordinal))
        ?? throw new AssertionException($"the certificate has no line with {drillId}:\n{_certificateText}");

    [Test]
    public void The_certificate_shows_every_drill_with_its_rto_rpo_and_verdict()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_certificateText, Does.Contain("Restore drill certificate").And.Contain("run-2").And.Contain("5 of 6 drills passed; 1 not run"));
            Assert.That(_certificateText, Does.Contain("Not run: CNPG-PITR-TIME: CNPG live drills need a Kubernetes cluster").And.Not.Contain("second line"));
            Assert.That(_certificateText, Does.Contain("15.18").And.Contain("3.4.0").And.Contain("sha256:0123abcd").And.Not.Contain("not on the certificate"));
            for (var i = 0; i < Drills.Count; i++)
            {
                var line = LineOf(Drills[i].Id);
                Assert.That(line, Does.Contain($"{Rto(i, 2):0.0} s / 300 s"), Drills[i].Id);
                Assert.That(line, Does.Contain($"{0.25 * (i + 1):0.0} s / 60 s"), Drills[i].Id);
                Assert.That(line, Does.Contain(Drills[i].Id == "DR-PITR-LSN" ? "FAILED" : "PASSED"), Drills[i].Id);
            }
        });
    }

    [Test]
    public async Task The_certificate_is_one_page()
    {
        var info = await RenderedPage.PopplerAsync("pdfinfo", _written.CertificatePdf);
        Assert.That(PagesLine().Match(info).Groups[1].Value, Is.EqualTo("1"), info);
    }

    [Test]
    public async Task The_rendered_page_shows_two_points_per_chart_and_every_objective_line()
    {
        var page = await RenderedPage.RenderAsync(_written.CertificatePdf, 1, 200, Path.Combine(_root, "certificate-page-1.png"));
        TestContext.AddTestAttachment(Path.Combine(_root, "certificate-page-1.png"), "the certificate's first page");
        var earlier = page.Dots(TrendChart.PointColour, minSize: 5);
        var tonight = page.Dots(TrendChart.ThisRunColour, minSize: 6);
        var objectives = page.DashedLines(TrendChart.ObjectiveColour, gap: 8, minDashes: 8);
        Assert.Multiple(() =>
        {
            // Six drills, two charts each (RTO, RPO), one earlier run and tonight's.
            Assert.That(earlier, Has.Count.EqualTo(12), "points of the earlier run");
            Assert.That(tonight, Has.Count.EqualTo(12), "points of this run");
            Assert.That(objectives, Has.Count.EqualTo(12), "objective lines");
            // Each point of this run is right of the earlier one in its chart.
            Assert.That(tonight.Sum(p => p.X), Is.GreaterThan(earlier.Sum(p => p.X)));
        });
    }

    [Test]
    public void The_report_carries_each_drills_trend_of_two_runs_first()
    {
        var html = File.ReadAllText(Path.Combine(_report, "index.html"));
        foreach (var resultFile in Directory.EnumerateFiles(_results, "*-result.json"))
        {
            var result = System.Text.Json.JsonDocument.Parse(File.ReadAllText(resultFile)).RootElement;
            var first = result.GetProperty("attachments")[0];
            Assert.That(first.GetProperty("name").GetString(), Is.EqualTo(DrillEvidenceWriter.TrendAttachment));
            var file = Path.Combine(_results, first.GetProperty("source").GetString()!);
            var svg = XElement.Parse(File.ReadAllText(file));
            var ran = result.GetProperty("status").GetString() != "skipped";
            Assert.That(svg.Descendants().Count(e => e.Name.LocalName == "circle"), Is.EqualTo(ran ? 4 : 0), "two runs in each of two charts; none for a drill that never ran");
        }
        // The single-file report embeds the attachments, the charts as data/attachments/<id>.svg: one per drill that ran at least.
        var charts = System.Text.RegularExpressions.Regex.Matches(html, @"data/attachments/[0-9a-f]+\.svg").Select(m => m.Value).Distinct().Count();
        Assert.That(charts, Is.GreaterThanOrEqualTo(Drills.Count), "the report embeds each drill's chart");
    }

    [Test]
    public async Task The_manifest_checks_and_its_digest_is_on_the_certificate()
    {
        var check = await ShellAsync($"sha256sum -c {EvidencePackage.ManifestFile.Insert(0, "artifacts/")}");
        var digest = await ShellAsync("grep -v drill-certificate artifacts/evidence-manifest.sha256 | sha256sum");
        var listed = File.ReadAllLines(_written.Manifest).Select(l => l[66..]).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(check.ExitCode, Is.Zero, check.Output);
            Assert.That(listed, Does.Contain("artifacts/drill-certificate.pdf").And.Contain("artifacts/allure-report/index.html").And.Contain("nunit.runsettings")
                .And.Some.StartsWith("artifacts/allure-results/").And.Some.EndsWith("-attachment.svg"));
            Assert.That(listed, Has.Count.EqualTo(Directory.GetFiles(_results).Length + Directory.GetFiles(_report, "*", SearchOption.AllDirectories).Length + 3));
            Assert.That(digest.Output.Split(' ')[0], Is.EqualTo(_written.EvidenceDigest));
            Assert.That(_certificateText.Replace("\n", " "), Does.Contain(_written.EvidenceDigest[..32]));
        });
    }

    [TestCase("allure-results", "-attachment.txt")]
    [TestCase("allure-results", "environment.properties")]
    [TestCase("allure-report", "index.html")]
    [TestCase("", "drill-certificate.pdf")]
    public async Task Changing_one_byte_of_a_listed_file_fails_the_check(string folder, string endsWith)
    {
        var file = Directory.EnumerateFiles(Path.Combine(_artifacts, folder)).First(f => f.EndsWith(endsWith, StringComparison.Ordinal));
        var original = await File.ReadAllBytesAsync(file);
        var changed = (byte[])original.Clone();
        changed[changed.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(file, changed);
        try
        {
            var check = await ShellAsync("sha256sum -c artifacts/evidence-manifest.sha256");
            Assert.That(check.ExitCode, Is.Not.Zero);
            Assert.That(check.Output, Does.Contain($"{Path.GetRelativePath(_root, file)}: FAILED"));
        }
        finally
        {
            await File.WriteAllBytesAsync(file, original);
        }
        Assert.That((await ShellAsync("sha256sum -c artifacts/evidence-manifest.sha256")).ExitCode, Is.Zero, "restored");
    }

    [Test]
    public async Task The_console_step_scripts_drill_runs_writes_the_manifest_whose_hash_it_prints()
    {
        var dll = Path.Combine(RepositoryPaths.Root, "src", "RestoreDrills.Evidence", "bin", "Debug", "net10.0", "RestoreDrills.Evidence.dll");
        BuildServer.Require(File.Exists(dll), "the built console step (dotnet build RestoreDrills.sln)");
        var copy = Path.Combine(_root, "as-scripts-drill");
        foreach (var file in Directory.EnumerateFiles(_artifacts, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(copy, "artifacts", Path.GetRelativePath(_artifacts, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        File.Delete(Path.Combine(copy, "artifacts", EvidencePackage.ManifestFile));
        await File.WriteAllTextAsync(Path.Combine(copy, "nunit.runsettings"), "<RunSettings />");

        var run = await ShellAsync($"dotnet '{dll}' artifacts artifacts/allure-results artifacts/allure-report", copy);
        Assert.That(run.ExitCode, Is.Zero, run.Output);
        var manifest = Path.Combine(copy, "artifacts", EvidencePackage.ManifestFile);
        var check = await ShellAsync("sha256sum -c --quiet artifacts/evidence-manifest.sha256", copy);
        Assert.Multiple(() =>
        {
            Assert.That(run.Output, Does.Contain($"Evidence manifest: artifacts/evidence-manifest.sha256 sha256 {EvidenceManifest.FileSha256(manifest)}"));
            Assert.That(File.ReadAllText(manifest), Does.Contain("  nunit.runsettings\n").And.Contain("  artifacts/drill-certificate.pdf\n"));
            Assert.That(check.ExitCode, Is.Zero, check.Output);
        });
    }

    [Test]
    public async Task The_console_step_without_drill_results_says_so_and_fails()
    {
        var dll = Path.Combine(RepositoryPaths.Root, "src", "RestoreDrills.Evidence", "bin", "Debug", "net10.0", "RestoreDrills.Evidence.dll");
        BuildServer.Require(File.Exists(dll), "the built console step (dotnet build RestoreDrills.sln)");
        var empty = Directory.CreateDirectory(Path.Combine(_root, "no-drills", "artifacts", "allure-results")).Parent!.Parent!.FullName;
        var run = await ShellAsync($"dotnet '{dll}' artifacts artifacts/allure-results artifacts/allure-report", empty);
        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Output.Trim(), Does.StartWith("the drill certificate and evidence manifest could not be written: no drill evidence in"));
    }

    private Task<BoundedRun.Result> ShellAsync(string command, string? workingDirectory = null) =>
        BoundedRun.RunAsync(new ProcessStartInfo("bash", ["-c", command]) { WorkingDirectory = workingDirectory ?? _root }, TimeSpan.FromMinutes(5), command);

    [GeneratedRegex(@"Pages:\s+(\d+)")]
    private static partial Regex PagesLine();
}
