namespace RestoreDrills.Reporting.Allure;

public enum AllureStatus { Passed, Failed, Broken, Skipped }
