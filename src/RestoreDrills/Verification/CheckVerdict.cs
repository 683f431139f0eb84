using RestoreDrills.Failures;

namespace RestoreDrills.Verification;

/// <summary>A drill's verdict from its checks: the failures, one message listing them, and the category it falls in.</summary>
public static class CheckVerdict
{
    public static IReadOnlyList<CheckResult> Failures(IReadOnlyList<CheckResult> checks) => checks.Where(c => !c.Passed).ToList();

    /// <summary>
    /// Every failed check's cause, one per line, the category's own first (a short replay before the rows it lost), so
    /// the first line under the category is its reason.
    /// </summary>
    public static string Message(IReadOnlyList<CheckResult> checks)
    {
        var failures = Failures(checks).OrderBy(f => f.Kind).ToList();
        return failures.Count == 0 ? "" :
            $"{failures.Count} of {checks.Count} checks failed:\n" + string.Join('\n', failures.Select(f => $"- {f.Name}: {f.Detail}"));
    }

    /// <summary>
    /// The category of the failed checks' kinds, the first in <see cref="CheckKind"/>'s order of precedence (budgets
    /// last: they are judged only when the data is right). From the kind alone: renaming a check never moves it.
    /// </summary>
    public static FailureCause? Cause(IReadOnlyList<CheckResult> checks)
    {
        var failures = Failures(checks);
        return failures.Count == 0 ? null : failures.Min(f => f.Kind).Cause();
    }
}
