using System.Globalization;
using RestoreDrills.Reporting.Allure;

namespace RestoreDrills.Reporting;

/// <summary>
/// Who ran the drills: the CI system, build number and link (executor.json), read from its environment; the name is
/// RESTOREDRILLS_EXECUTOR_NAME where set (e.g. "nightly drill (GitHub Actions)"), else the system's.
/// </summary>
public static class CiExecutor
{
    public static AllureExecutor Detect(Func<string, string?> env, string runId)
    {
        var named = env(Configuration.SettingsTable.ExecutorName.Name);
        if (env("GITHUB_ACTIONS") == "true")
        {
            var url = $"{env("GITHUB_SERVER_URL")}/{env("GITHUB_REPOSITORY")}/actions/runs/{env("GITHUB_RUN_ID")}";
            return new AllureExecutor(named ?? "GitHub Actions", "github", env("GITHUB_SERVER_URL"), Number(env("GITHUB_RUN_NUMBER")),
                $"{env("GITHUB_WORKFLOW")} #{env("GITHUB_RUN_NUMBER")}", url, "RestoreDrills");
        }
        if (string.Equals(env("TF_BUILD"), "true", StringComparison.OrdinalIgnoreCase))
        {
            var url = $"{env("SYSTEM_COLLECTIONURI")}{env("SYSTEM_TEAMPROJECT")}/_build/results?buildId={env("BUILD_BUILDID")}";
            return new AllureExecutor(named ?? "Azure Pipelines", "azure", env("SYSTEM_COLLECTIONURI"), Number(env("BUILD_BUILDID")),
                $"{env("BUILD_DEFINITIONNAME")} {env("BUILD_BUILDNUMBER")}", url, "RestoreDrills");
        }
        var ci = env("CI") is "true" or "1";
        return new AllureExecutor(named ?? (ci ? "CI" : $"local run on {Environment.MachineName}"),
            ci ? "ci" : "local", BuildName: env(Configuration.SettingsTable.BuildName.Name) ?? runId, BuildUrl: env(Configuration.SettingsTable.BuildUrl.Name),
            ReportName: "RestoreDrills");
    }

    private static long? Number(string? value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
}
