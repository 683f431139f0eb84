namespace RestoreDrills.Reporting.Allure;

// The Allure 2 results format (also read by Allure 3), only the fields RestoreDrills writes; one type to a file beside it.
// Property names serialise camelCase; Allure 3's reader is strict about them.
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
