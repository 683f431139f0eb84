using RestoreDrills.Failures;
using RestoreDrills.Reporting.Allure;
using RestoreDrills.Secrets;

namespace RestoreDrills.Reporting;

/// <summary>
/// Sorts failures by cause. A failed drill's message starts with its category's name ("Restore failure: ..."),
/// and categories.json matches on that prefix, so the report groups failures the way an auditor asks.
/// </summary>
public static class FailureCategories
{
    public const string Infrastructure = "Infrastructure or setup problem";

    public static string Name(FailureCause cause) => cause switch
    {
        FailureCause.BackupFailed => "Backup failure",
        FailureCause.WalArchivingFailed => "WAL archiving failure",
        FailureCause.RestoreFailed => "Restore failure",
        FailureCause.TargetNotReached => "Recovery target not reached",
        FailureCause.IntegrityViolation => "Integrity violation",
        FailureCause.UnsafeSetting => "Unsafe setting",
        FailureCause.BudgetExceeded => "Timing budget exceeded",
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause, null),
    };

    /// <summary>The result message of a failed drill (masked: NUnit prints it as it is).</summary>
    public static string Message(FailureCause cause, string detail) => SecretMasker.Apply($"{Name(cause)}: {detail}");

    /// <summary>
    /// Written so both generators agree: Allure 2 (Java) matches the whole message, Allure 3 (JavaScript)
    /// searches it; JavaScript has no inline (?s), hence [\s\S] for "anything, newlines too".
    /// </summary>
    public static string MessagePattern(FailureCause cause) => $"^{Name(cause)}:[\\s\\S]*";

    public static IReadOnlyList<AllureCategory> All =>
    [
        .. Enum.GetValues<FailureCause>().Select(c =>
            new AllureCategory(Name(c), [AllureStatus.Failed], MessagePattern(c))),
        new AllureCategory(Infrastructure, [AllureStatus.Broken]),
    ];
}
