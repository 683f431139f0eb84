namespace RestoreDrills.Tests.Reporting;

/// <summary>The journal's steps as the report shows them: a step is as failed as the checks made inside it.</summary>
public sealed class DrillJournalTests
{
    private string _results = null!;
    private DrillJournal _journal = null!;

    [SetUp]
    public void NewJournal()
    {
        _results = Path.Combine(Path.GetTempPath(), "restoredrills-journal-" + Guid.NewGuid().ToString("N")[..8]);
        _journal = new DrillJournal(new AllureResultsWriter(_results), TextWriter.Null, "journal test");
    }

    [TearDown]
    public void RemoveResults()
    {
        if (Directory.Exists(_results)) Directory.Delete(_results, recursive: true);
    }

    /// <summary>Failed before: the verification step closed as passed whatever its checks said, only the checks inside showed red.</summary>
    [Test]
    public async Task A_step_whose_check_failed_is_failed_and_names_the_failure()
    {
        await _journal.StepAsync("Verify the restored data", () =>
        {
            _journal.Check(CheckResult.Pass(CheckKind.Integrity, "canonical rows", "all five"));
            _journal.Check(CheckResult.Fail(CheckKind.Integrity, "rows inserted after the target are absent", "id=5009 present"));
            return Task.CompletedTask;
        });
        var step = _journal.Steps.Single();
        Assert.That(step.Status, Is.EqualTo(AllureStatus.Failed));
        Assert.That(step.StatusDetails?.Message, Is.EqualTo("1 check(s) failed: id=5009 present"));
    }

    [Test]
    public async Task A_failure_deep_inside_fails_every_step_around_it_and_a_clean_step_stays_passed()
    {
        await _journal.StepAsync("Restore", async () =>
        {
            await _journal.StepAsync("Connect", () => Task.CompletedTask);
            await _journal.StepAsync("Verify", () =>
            {
                _journal.Check(CheckResult.Fail(CheckKind.Budget, "RTO within budget", "400 s exceeds 300 s"));
                return Task.CompletedTask;
            });
        });
        var restore = _journal.Steps.Single();
        Assert.Multiple(() =>
        {
            Assert.That(restore.Status, Is.EqualTo(AllureStatus.Failed));
            Assert.That(restore.Steps.Single(s => s.Name == "Connect").Status, Is.EqualTo(AllureStatus.Passed));
            Assert.That(restore.Steps.Single(s => s.Name == "Verify").Status, Is.EqualTo(AllureStatus.Failed));
        });
    }

    [Test]
    public async Task A_step_of_passed_checks_is_passed()
    {
        await _journal.StepAsync("Verify", () =>
        {
            _journal.Check(CheckResult.Pass(CheckKind.Integrity, "canonical rows", "all five"));
            return Task.CompletedTask;
        });
        Assert.That(_journal.Steps.Single().Status, Is.EqualTo(AllureStatus.Passed));
    }
}
