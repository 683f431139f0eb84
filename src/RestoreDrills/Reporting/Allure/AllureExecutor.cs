namespace RestoreDrills.Reporting.Allure;

public sealed record AllureExecutor(string Name, string Type, string? Url = null, long? BuildOrder = null,
    string? BuildName = null, string? BuildUrl = null, string? ReportName = null);
