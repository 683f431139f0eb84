namespace RestoreDrills.Reporting.Allure;

public sealed record AllureStatusDetails(string? Message, string? Trace);
