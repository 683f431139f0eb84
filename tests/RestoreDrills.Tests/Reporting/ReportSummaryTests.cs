namespace RestoreDrills.Tests.Reporting;

/// <summary>The console summary the report build prints after a run (tools/report/build-report.mjs), as a person reads it.</summary>
[TestFixture]
[Category("Report")]
[NonParallelizable]
public sealed class ReportSummaryTests
{
    private string _dir = null!;

    [SetUp]
    public void Make()
    {
        BuildServer.Require(ReportGenerator.IsInstalled, "the report generator (tools/report/node_modules)");
        _dir = Directory.CreateTempSubdirectory("restoredrills-summary-").FullName;
    }

    [TearDown]
    public void Remove()
    {
        if (_dir is not null) Directory.Delete(_dir, recursive: true);
    }

    private string Results(string name, params (RecoveryTargetKind Kind, AllureStatus Status, string? Message)[] drills)
    {
        var directory = Path.Combine(_dir, name);
        var writer = new AllureResultsWriter(directory);
        writer.WriteCategories(FailureCategories.All);
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);
        foreach (var (kind, status, message) in drills)
        {
            var journal = new DrillJournal(writer, TextWriter.Null, kind.Id());
            writer.WriteResult(DrillResultBuilder.Build(DrillCatalog.For(kind), journal, status, message, null, start, start.AddSeconds(20), "summary-host"));
        }
        return directory;
    }

    /// <summary>Failed before: the cause was cut at 100 characters, inside a word ("InvalidSettingException : RESTOREDRILLS").</summary>
    [Test]
    public async Task A_drills_cause_is_its_message_without_the_exception_type_cut_between_words()
    {
        const string message = "OneTimeSetUp: SetUp : RestoreDrills.Failures.InvalidSettingException : RESTOREDRILLS_STORE_URL is not set " +
                               "(it arrived as the literal '$(RESTOREDRILLS_STORE_URL)': Azure Pipelines passes a variable that neither the pipeline nor its variable group defines that way)";
        var results = Results("one", (RecoveryTargetKind.Time, AllureStatus.Broken, message));
        var run = await ReportGenerator.BuildAsync(results, Path.Combine(_dir, "report"), Path.Combine(_dir, "history.jsonl"));
        var line = run.Output.Split('\n').Single(l => l.TrimStart().StartsWith("BROKEN", StringComparison.Ordinal));
        var cause = line[(line.IndexOf("RESTOREDRILLS_STORE_URL is not set", StringComparison.Ordinal))..];
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.Output);
            Assert.That(line, Does.Not.Contain("Exception").And.Not.Contain("OneTimeSetUp"));
            Assert.That(cause, Does.EndWith(" …"), "a long cause is marked as cut");
            Assert.That(message.Contains(cause[..^2] + " ", StringComparison.Ordinal), Is.True, $"cut where a word ends: '{cause}'");
        });
    }

    /// <summary>
    /// Failed before: the report directory kept the previous run's data files and Allure embedded them, so after a run of
    /// three drills, a run of one showed all three (two of them stale, as if run again); the build's own count caught it
    /// only as "the report holds 3 results but 1 were written: some could not be read" (found by ./scripts/drill --filter).
    /// </summary>
    [Test]
    public async Task A_report_built_where_an_earlier_one_was_shows_only_this_runs_drills()
    {
        var history = Path.Combine(_dir, "history.jsonl");
        var report = Path.Combine(_dir, "report");
        var all = Results("all", (RecoveryTargetKind.Time, AllureStatus.Passed, null), (RecoveryTargetKind.Lsn, AllureStatus.Passed, null),
            (RecoveryTargetKind.Xid, AllureStatus.Passed, null));
        Assert.That((await ReportGenerator.BuildAsync(all, report, history)).ExitCode, Is.Zero);
        var one = Results("filtered", (RecoveryTargetKind.Lsn, AllureStatus.Passed, null));
        var run = await ReportGenerator.BuildAsync(one, report, history);
        var html = await File.ReadAllTextAsync(Path.Combine(report, "index.html"));
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.Output);
            Assert.That(run.Output, Does.Contain("Drill run: 1 of 1 passed"));
            Assert.That(System.Text.RegularExpressions.Regex.Matches(html, @"data/test-results/[0-9a-f]+\.json").Select(m => m.Value).Distinct().Count(), Is.EqualTo(1));
        });
    }
}
