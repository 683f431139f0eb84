namespace RestoreDrills.Reporting.Allure;

public sealed record AllureAttachment(string Name, string Source, string Type);
