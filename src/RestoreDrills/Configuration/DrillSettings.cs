namespace RestoreDrills.Configuration;

/// <summary>
/// Every knob of a drill run: images, seed volume, timeouts and the budgets a drill is judged against.
/// Each is a named setting (see <see cref="SettingsReader"/>), documented in nunit.runsettings and docs/settings.md.
/// </summary>
public sealed record DrillSettings
{
    public required string PostgresImage { get; init; }

    /// <summary>The PostgreSQL major the run claims (./scripts/drill --postgres N); the drill checks the image runs it. Null: not claimed.</summary>
    public int? PostgresMajor { get; init; }
    public required string AzuriteImage { get; init; }

    /// <summary>Bogus seed and row count: written to the report so a run can be reproduced exactly.</summary>
    public required int SeedRandomSeed { get; init; }
    public required int SeedRowCount { get; init; }

    public required DrillTimeouts Timeouts { get; init; }
    public required DrillBudgets Budgets { get; init; }

    /// <summary>Where Allure result files go; the report is built from this folder.</summary>
    public required string ResultsDirectory { get; init; }

    /// <summary>Tables the verification engine compares row by row: backup_test, "all", or a comma-separated list.</summary>
    public RestoreDrills.Configuration.VerificationScope VerifyTables { get; init; } = RestoreDrills.Configuration.VerificationScope.Default;

    /// <summary>WAL segments fetched at once during replay, as CNPG's wal.maxParallel (1: one barman-cloud-wal-restore per request).</summary>
    public int WalMaxParallel { get; init; } = SettingsTable.WalMaxParallel.DefaultInt;

    /// <summary>Each drill's evidence, one JSON line per run (the RTO/RPO trend), and how many runs a trend chart shows.</summary>
    public string TrendFile { get; init; } = RepositoryPaths.DefaultTrendFile;
    public int TrendRuns { get; init; } = SettingsTable.TrendRuns.DefaultInt;

    public static DrillSettings Read(SettingsReader settings, string defaultResultsDirectory)
    {
        var seed = RestoreDrills.Configuration.SeedPlan.Read(settings);
        return new DrillSettings
        {
            PostgresImage = settings.String(SettingsTable.PostgresImage),
            PostgresMajor = settings.Raw(SettingsTable.PostgresMajor) is null ? null : settings.Int(SettingsTable.PostgresMajor, min: 9),
            AzuriteImage = settings.String(SettingsTable.AzuriteImage),
            SeedRandomSeed = seed.RandomSeed,
            SeedRowCount = seed.Rows,
            Timeouts = DrillTimeouts.Read(settings),
            Budgets = DrillBudgets.Read(settings),
            ResultsDirectory = Path.GetFullPath(settings.String(SettingsTable.ResultsDirectory, defaultResultsDirectory)),
            VerifyTables = RestoreDrills.Configuration.VerificationScope.Parse(settings.Raw(SettingsTable.VerifyTables)),
            WalMaxParallel = settings.Int(SettingsTable.WalMaxParallel, min: 1),
            TrendFile = Path.GetFullPath(settings.String(SettingsTable.TrendFile, RepositoryPaths.DefaultTrendFile)),
            TrendRuns = settings.Int(SettingsTable.TrendRuns, min: 1),
        };
    }
}
