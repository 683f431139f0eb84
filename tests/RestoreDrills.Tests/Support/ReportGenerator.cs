using System.Diagnostics;

namespace RestoreDrills.Tests.Support;

/// <summary>Runs the project's report build (tools/report/build-report.mjs) exactly as the scripts do.</summary>
public static class ReportGenerator
{
    /// <summary>scripts/test exports RESTOREDRILLS_NODE (a Node.js recent enough for Allure 3).</summary>
    public static string Node => Environment.GetEnvironmentVariable("RESTOREDRILLS_NODE") ?? "node";

    public static bool IsInstalled =>
        File.Exists(Path.Combine(RepositoryPaths.Root, "tools", "report", "node_modules", "allure", "cli.js"));

    public sealed record Run(int ExitCode, string Output);

    public static async Task<Run> BuildAsync(string results, string report, string history)
    {
        var start = new ProcessStartInfo(Node) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(RepositoryPaths.Root, "tools", "report", "build-report.mjs"), results, report, history })
            start.ArgumentList.Add(arg);
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await node.WaitForExitAsync(timeout.Token);
        return new Run(node.ExitCode, await stdout + await stderr);
    }
}
