namespace RestoreDrills.Reporting.Allure;

// The Allure 2 results format (also read by Allure 3), only the fields RestoreDrills writes.
// Property names serialise camelCase; Allure 3's reader is strict about them.

public enum AllureStatus { Passed, Failed, Broken, Skipped }

public sealed record AllureLabel(string Name, string Value);

public sealed record AllureLink(string Name, string Url, string Type = "link");

/// <summary>A parameter; <see cref="Excluded"/> keeps run-specific values (timestamps, ids) out of the history key.</summary>
public sealed record AllureParameter(string Name, string Value, bool? Excluded = null);

public sealed record AllureAttachment(string Name, string Source, string Type);

public sealed record AllureStatusDetails(string? Message, string? Trace);

public sealed record AllureStep
{
    public required string Name { get; init; }
    public required AllureStatus Status { get; init; }
    public AllureStatusDetails? StatusDetails { get; init; }
    public string Stage { get; init; } = "finished";
    public required long Start { get; init; }
    public required long Stop { get; init; }
    public IReadOnlyList<AllureStep> Steps { get; init; } = [];
    public IReadOnlyList<AllureAttachment> Attachments { get; init; } = [];
    public IReadOnlyList<AllureParameter> Parameters { get; init; } = [];
}

public sealed record AllureResult
{
    public required string Uuid { get; init; }
    public required string HistoryId { get; init; }
    public required string TestCaseId { get; init; }
    public required string FullName { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
    public required AllureStatus Status { get; init; }
    public AllureStatusDetails? StatusDetails { get; init; }
    public string Stage { get; init; } = "finished";
    public required long Start { get; init; }
    public required long Stop { get; init; }
    public IReadOnlyList<AllureLabel> Labels { get; init; } = [];
    public IReadOnlyList<AllureLink> Links { get; init; } = [];
    public IReadOnlyList<AllureParameter> Parameters { get; init; } = [];
    public IReadOnlyList<AllureAttachment> Attachments { get; init; } = [];
    public IReadOnlyList<AllureStep> Steps { get; init; } = [];
}

/// <summary>A failure category (categories.json): matched on status and message.</summary>
public sealed record AllureCategory(string Name, IReadOnlyList<AllureStatus> MatchedStatuses, string? MessageRegex = null);

public sealed record AllureExecutor(string Name, string Type, string? Url = null, long? BuildOrder = null,
    string? BuildName = null, string? BuildUrl = null, string? ReportName = null);
