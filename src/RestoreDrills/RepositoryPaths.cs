namespace RestoreDrills;

/// <summary>Where the repository is, found from the test binaries, so results land in artifacts/ whatever the working folder.</summary>
public static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "RestoreDrills.sln"))) return dir.FullName;
            return Directory.GetCurrentDirectory();
        }
    }

    public static string DefaultResultsDirectory => Path.Combine(Root, "artifacts", "allure-results");

    /// <summary>Each drill's RTO and RPO, run after run: in artifacts/history, which the pipelines carry from night to night.</summary>
    public static string DefaultTrendFile => Path.Combine(Root, "artifacts", "history", "drill-trend.jsonl");
}
