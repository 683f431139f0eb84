using System.Diagnostics;

namespace RestoreDrills.Tests.Scripts;

/// <summary>
/// The project's scripts as a person starts them, on a scratch artifacts/ (RD_ARTIFACTS) so this checkout's own run
/// is never touched: what they refuse must be refused at once, in one line, before any set-up.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ScriptRunTests
{
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan SetUpAndBuild = TimeSpan.FromMinutes(5);
    private string _artifacts = null!;

    [SetUp]
    public void MakeScratch() => _artifacts = Directory.CreateTempSubdirectory("restoredrills-scripts-").FullName;

    [TearDown]
    public void RemoveScratch() => Directory.Delete(_artifacts, recursive: true);

    private ProcessStartInfo Script(string command)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = RepositoryPaths.Root };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.Environment["RD_ARTIFACTS"] = _artifacts;
        // Its own session and history: the script's cleanup must never sweep the containers of the run that tests it.
        start.Environment["RESTOREDRILLS_SESSION"] = "scripttest-" + Guid.NewGuid().ToString("N")[..8];
        start.Environment["RESTOREDRILLS_TREND_FILE"] = Path.Combine(_artifacts, "history", "drill-trend.jsonl");
        start.Environment["RESTOREDRILLS_HISTORY_FILE"] = Path.Combine(_artifacts, "history", "allure-history.jsonl");
        return start;
    }

    private async Task<(int ExitCode, string LastLine, TimeSpan Took)> RunAsync(string command)
    {
        var run = await BoundedRun.RunAsync(Script(command), SetUpAndBuild, $"'{command}'");
        return (run.ExitCode, run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "", run.Took);
    }

    private async Task<Process> HoldTheCheckoutAsync(string what)
    {
        var holder = Process.Start(Script($"source scripts/lib/common.sh && rd_hold_checkout '{what}' && sleep 60"))!;
        var owner = Path.Combine(_artifacts, ".run.owner");
        for (var i = 0; i < 100 && !File.Exists(owner); i++) await Task.Delay(100);
        Assert.That(File.Exists(owner), Is.True, "the holder took the checkout");
        return holder;
    }

    /// <summary>Failed before: a second ./scripts/drill cleared artifacts/ under the first one's feet.</summary>
    [TestCase("./scripts/drill")]
    [TestCase("./scripts/test")]
    [TestCase("./scripts/stability 1")]
    public async Task A_second_run_in_the_same_checkout_stops_at_once_with_one_line(string script)
    {
        using var first = await HoldTheCheckoutAsync("first run");
        try
        {
            File.WriteAllText(Path.Combine(_artifacts, "first-run-result.json"), "{}");
            var (exitCode, lastLine, took) = await RunAsync(script);
            Assert.Multiple(() =>
            {
                Assert.That(exitCode, Is.Not.Zero);
                Assert.That(lastLine, Does.Contain("error: another run holds this checkout (first run (pid ").And.Contain("wait for it to end"));
                Assert.That(took, Is.LessThan(AtOnce));
                Assert.That(File.Exists(Path.Combine(_artifacts, "first-run-result.json")), Is.True, "the first run's files stay");
            });
        }
        finally
        {
            first.Kill(entireProcessTree: true);
        }
    }

    [Test]
    public async Task The_checkout_is_free_again_once_its_run_has_ended()
    {
        using (var first = await HoldTheCheckoutAsync("first run")) first.Kill(entireProcessTree: true);
        await Task.Delay(TimeSpan.FromSeconds(1)); // the watcher notices within a fifth of a second
        var (exitCode, lastLine, _) = await RunAsync("source scripts/lib/common.sh && rd_hold_checkout 'second run' && echo held");
        Assert.That((exitCode, lastLine), Is.EqualTo((0, "held")));
    }

    /// <summary>
    /// The README's two commands back to back (`./scripts/drill &amp;&amp; ./scripts/test`), and a script that runs two drills in
    /// a row: each run takes the checkout right after the one before ended. Failed before: the ended run's watcher held
    /// the lock up to a second longer, and the second run stopped with "another run holds this checkout".
    /// </summary>
    [Test]
    public async Task A_run_started_right_after_another_ended_takes_the_checkout()
    {
        const string hold = "source scripts/lib/common.sh && rd_hold_checkout";
        var (exitCode, lastLine, _) = await RunAsync(
            $"for n in 1 2 3 4 5; do bash -c \"{hold} 'run '$n\" || exit 1; done && bash -c \"{hold} 'last run' && echo held\"");
        Assert.That((exitCode, lastLine), Is.EqualTo((0, "held")));
    }

    /// <summary>
    /// Failed before: the run ended with "no Allure results … did the drills run?" and a failed certificate step, the
    /// bad setting buried above them. (--no-build: the drills project is not rebuilt under a test run that uses it.)
    /// </summary>
    [Test]
    public async Task A_run_that_fails_before_any_drill_ends_with_its_one_cause()
    {
        BuildServer.Require(File.Exists(Path.Combine(RepositoryPaths.Root, "tests", "RestoreDrills.Drills", "bin", "Debug", "net10.0", "RestoreDrills.Drills.dll")),
            "the built drills project (dotnet build)");
        var (exitCode, lastLine, _) = await RunAsync("RESTOREDRILLS_TREND_RUNS=abc ./scripts/drill --no-build --filter Name~DR-PITR-LSN");
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Not.Zero);
            Assert.That(lastLine, Does.EndWith("error: no drill ran: RESTOREDRILLS_TREND_RUNS='abc' is not a whole number >= 1: set it to e.g. 14 in nunit.runsettings or the environment."));
            Assert.That(Directory.Exists(Path.Combine(_artifacts, "allure-report")), Is.False, "no report of nothing");
        });
    }

    [TestCase("./scripts/stability 1 --postgres x", "--postgres 'x' is not a PostgreSQL major version")]
    [TestCase("./scripts/stability none", "N must be a whole number of runs >= 1 (got 'none')")]
    public async Task Stability_refuses_a_bad_argument_before_any_set_up(string command, string says)
    {
        var (exitCode, lastLine, took) = await RunAsync(command);
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Not.Zero);
            Assert.That(lastLine, Does.Contain(says));
            Assert.That(took, Is.LessThan(AtOnce));
        });
    }

    /// <summary>Failed before: the stability run also ran DR-STORE-EXISTING, which fails without store settings.</summary>
    [Test]
    public void Stability_runs_the_clean_drill_set_only()
    {
        var script = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "scripts", "stability"));
        var run = script.Single(l => l.Contains("rd_dotnet_test", StringComparison.Ordinal));
        Assert.That(run, Does.Contain("tests/RestoreDrills.Drills").And.Contain("--filter \"Category=Drill\""));
    }
}
