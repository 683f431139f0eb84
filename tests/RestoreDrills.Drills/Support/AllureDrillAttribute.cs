using System.Collections.Concurrent;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using RestoreDrills.Drills;
using RestoreDrills.Reporting;
using RestoreDrills.Reporting.Allure;
using RestoreDrills.Reporting.Evidence;
using RestoreDrills.Secrets;

/// <summary>
/// Gives each drill test a journal before it runs and writes its Allure result after, with the status NUnit
/// decided: an assertion failure (a drill's verdict) is "failed", any other exception "broken".
/// Writing the report never fails a test.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AllureDrillAttribute : Attribute, ITestAction
{
    private static readonly ConcurrentDictionary<string, (DrillJournal Journal, DateTimeOffset Start)> Running = new();

    public ActionTargets Targets => ActionTargets.Test;

    /// <summary>The journal of the drill running in this test.</summary>
    public static DrillJournal Journal => Running[TestContext.CurrentContext.Test.ID].Journal;

    public void BeforeTest(ITest test) =>
        Running[test.Id] = (new DrillJournal(DrillRun.Results, TestContext.Progress, test.Name), DateTimeOffset.UtcNow);

    public void AfterTest(ITest test)
    {
        if (!Running.TryRemove(test.Id, out var running)) return;
        try
        {
            var result = TestContext.CurrentContext.Result;
            var status = result.Outcome.Status switch
            {
                TestStatus.Passed => AllureStatus.Passed,
                TestStatus.Skipped or TestStatus.Inconclusive => AllureStatus.Skipped,
                _ when result.Outcome.Label == "Error" => AllureStatus.Broken,
                _ => AllureStatus.Failed,
            };
            // A drill that did not run (no cluster: ignored) and one that found tonight's source unable to hold its target
            // (inconclusive) are both in the report, skipped with the reason: a drill missing from it would read as never planned.
            var message = status == AllureStatus.Broken ? $"{FailureCategories.Infrastructure}: {result.Message}" : result.Message;
            var drill = test.Arguments[0] switch
            {
                DrillDefinition definition => definition,
                var kind => DrillCatalog.For((RestoreDrills.RecoveryTargets.RecoveryTargetKind)kind!),
            };
            var stop = DateTimeOffset.UtcNow;
            var evidence = new DrillEvidence(DrillRun.RunId, stop, drill.Id, drill.Title, status.ToString().ToLowerInvariant(), running.Journal.Figures,
                DrillEvidence.Summary(message));
            var (trend, facts) = DrillEvidenceWriter.Write(DrillRun.Results, new DrillTrendHistory(DrillRun.Settings.TrendFile), DrillRun.Settings.TrendRuns, evidence);
            DrillRun.Results.WriteResult(DrillResultBuilder.Build(drill, running.Journal, status,
                string.IsNullOrEmpty(message) ? null : message, result.StackTrace, running.Start, stop, Environment.MachineName, first: trend, last: facts));
        }
        catch (Exception e)
        {
            TestContext.Progress.WriteLine($"warning: the Allure result of {test.Name} could not be written: {SecretMasker.Apply(e.Message)}");
        }
    }
}
