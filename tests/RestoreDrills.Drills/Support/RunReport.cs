using RestoreDrills.Configuration;
using RestoreDrills.Reporting;
using RestoreDrills.Reporting.Allure;

/// <summary>The run-wide report files: environment (what ran, on what), executor (who ran it), failure categories.</summary>
public static class RunReport
{
    public static void WriteRunFiles(AllureResultsWriter results, DrillSettings settings, string runId)
    {
        results.WriteEnvironment(new Dictionary<string, string>
        {
            ["platform"] = "containers (Testcontainers)",
            ["postgres.image"] = settings.PostgresImage,
            ["objectstore.image"] = settings.AzuriteImage,
            ["objectstore"] = "Azure Blob Storage (Azurite emulator)",
            ["seed.random_seed"] = settings.SeedRandomSeed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["seed.rows"] = settings.SeedRowCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["run.id"] = runId,
            ["runner.host"] = Environment.MachineName,
            ["runner.dotnet"] = Environment.Version.ToString(),
        });
        var ci = Environment.GetEnvironmentVariable("CI") is "true" or "1";
        results.WriteExecutor(new AllureExecutor(
            Name: Environment.GetEnvironmentVariable("RESTOREDRILLS_EXECUTOR_NAME") ?? (ci ? "CI" : "local run"),
            Type: ci ? "ci" : "local",
            BuildName: Environment.GetEnvironmentVariable("RESTOREDRILLS_BUILD_NAME") ?? runId,
            BuildUrl: Environment.GetEnvironmentVariable("RESTOREDRILLS_BUILD_URL"),
            ReportName: "RestoreDrills"));
        results.WriteCategories(FailureCategories.All);
    }
}
