using System.Globalization;
using RestoreDrills.Configuration;
using RestoreDrills.Reporting;
using RestoreDrills.Reporting.Allure;

/// <summary>The run-wide report files: environment (what ran, on what), executor (who ran it), failure categories.</summary>
public static class RunReport
{
    public static void WriteRunFiles(AllureResultsWriter results, DrillSettings settings, string runId)
    {
        results.WriteExecutor(CiExecutor.Detect(Environment.GetEnvironmentVariable, runId));
        results.WriteCategories(FailureCategories.All);
        WriteEnvironment(results, settings, runId);
    }

    /// <summary>Written at the start and again at the end, when the versions learnt during the run are known.</summary>
    public static void WriteEnvironment(AllureResultsWriter results, DrillSettings settings, string runId)
    {
        var environment = new Dictionary<string, string>
        {
            ["platform"] = "containers (Testcontainers)",
            ["postgres.image"] = settings.PostgresImage,
            ["objectstore.image"] = settings.AzuriteImage,
            ["objectstore"] = "Azure Blob Storage (Azurite emulator)",
            ["seed.random_seed"] = settings.SeedRandomSeed.ToString(CultureInfo.InvariantCulture),
            ["seed.rows"] = settings.SeedRowCount.ToString(CultureInfo.InvariantCulture),
            ["run.id"] = runId,
            ["runner.host"] = Environment.MachineName,
            ["runner.os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["runner.dotnet"] = Environment.Version.ToString(),
        };
        foreach (var (name, value) in RunFacts.All) environment[name] = value;
        results.WriteEnvironment(environment);
    }
}
