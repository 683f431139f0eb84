namespace RestoreDrills.Reporting.Allure;

/// <summary>A failure category (categories.json): matched on status and message.</summary>
public sealed record AllureCategory(string Name, IReadOnlyList<AllureStatus> MatchedStatuses, string? MessageRegex = null);
