using System.Collections.Concurrent;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using RestoreDrills.Platforms.Cnpg;
using RestoreDrills.Reporting;
using RestoreDrills.Reporting.Allure;

namespace RestoreDrills.Drills.Cnpg;

/// <summary>
/// As <see cref="AllureDrillAttribute"/> for the CNPG drills: a journal before, an Allure result after, in the suite
/// of the CloudNative-PG drills with the CNPG drill's id. A drill ignored for want of a cluster writes no result:
/// the report shows the drills that ran (the test output says why the others did not).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AllureCnpgDrillAttribute : Attribute, ITestAction
{
    public const string Suite = "Restore drills on CloudNative-PG";
    private static readonly ConcurrentDictionary<string, (DrillJournal Journal, DateTimeOffset Start)> Running = new();

    public ActionTargets Targets => ActionTargets.Test;

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
            if (status == AllureStatus.Skipped) return;
            var message = status == AllureStatus.Broken ? $"{FailureCategories.Infrastructure}: {result.Message}" : result.Message;
            var drill = CnpgDrillCatalog.For((RestoreDrills.RecoveryTargets.RecoveryTargetKind)test.Arguments[0]!);
            var built = DrillResultBuilder.Build(drill, running.Journal, status,
                string.IsNullOrEmpty(message) ? null : message, result.StackTrace, running.Start, DateTimeOffset.UtcNow, Environment.MachineName);
            var fullName = $"RestoreDrills.Cnpg.{drill.Id}";
            DrillRun.Results.WriteResult(built with
            {
                FullName = fullName,
                TestCaseId = AllureResultsWriter.Md5(fullName),
                HistoryId = AllureResultsWriter.HistoryId(fullName, built.Parameters),
                Labels = [.. built.Labels.Select(l => l.Name switch
                {
                    "suite" => l with { Value = Suite },
                    "package" => l with { Value = "RestoreDrills.Cnpg" },
                    _ => l,
                })],
            });
        }
        catch (Exception e)
        {
            TestContext.Progress.WriteLine($"warning: the Allure result of {test.Name} could not be written: {SecretMasker.Apply(e.Message)}");
        }
    }
}
