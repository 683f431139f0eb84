namespace RestoreDrills.Reporting.Allure;

public sealed record AllureLink(string Name, string Url, string Type = "link");
