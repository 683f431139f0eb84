namespace RestoreDrills.Tests.Support;

/// <summary>Runs the project's report build (tools/report/build-report.mjs) exactly as the scripts do.</summary>
public static class ReportGenerator
{
    /// <summary>scripts/test exports RESTOREDRILLS_NODE (a Node.js recent enough for Allure 3).</summary>
    public static string Node => Environment.GetEnvironmentVariable("RESTOREDRILLS_NODE") ?? "node";

    public static bool IsInstalled =>
        File.Exists(Path.Combine(RepositoryPaths.Root, "tools", "report", "node_modules", "allure", "cli.js"));

    /// <summary>How long a report build may take before it is killed and the test fails.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    public static Task<BoundedRun.Result> BuildAsync(string results, string report, string history) =>
        BoundedRun.RunAsync(Node, [Path.Combine(RepositoryPaths.Root, "tools", "report", "build-report.mjs"), results, report, history], Limit);
}
