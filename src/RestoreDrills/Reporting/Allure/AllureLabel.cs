namespace RestoreDrills.Reporting.Allure;

public sealed record AllureLabel(string Name, string Value);
