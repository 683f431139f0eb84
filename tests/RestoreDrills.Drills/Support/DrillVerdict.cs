using NUnit.Framework;
using RestoreDrills.Drills;
using RestoreDrills.Failures;
using RestoreDrills.Reporting;

/// <summary>How a drill test turns a drill's end into NUnit's verdict, the same for every drill.</summary>
public static class DrillVerdict
{
    /// <summary>
    /// Runs the drill; a fault it found (<see cref="DrillFailure"/>) fails the test with its category and cause; a
    /// target tonight's source cannot hold (<see cref="NotDrillableException"/>) makes it inconclusive, with the reason.
    /// </summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> drill)
    {
        try
        {
            return await drill();
        }
        catch (DrillFailure failure)
        {
            Assert.Fail(FailureCategories.Message(failure.Cause, failure.Message));
            throw; // not reached: Assert.Fail throws
        }
        catch (NotDrillableException notTonight)
        {
            Assert.Inconclusive(notTonight.Message);
            throw; // not reached: Assert.Inconclusive throws
        }
    }

    /// <summary>Every failed check, under the category of the first: the test's failure message.</summary>
    public static void AssertPassed(IReadOnlyList<RestoreDrills.Verification.CheckResult> checks, DrillJournal journal)
    {
        var failures = RestoreDrills.Verification.CheckVerdict.Failures(checks);
        journal.Progress(failures.Count == 0 ? "drill passed" : "drill FAILED");
        Assert.That(failures, Is.Empty,
            () => FailureCategories.Message(RestoreDrills.Verification.CheckVerdict.Cause(checks)!.Value, RestoreDrills.Verification.CheckVerdict.Message(checks)));
    }
}
