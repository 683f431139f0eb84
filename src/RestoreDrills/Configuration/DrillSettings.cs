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
    public int WalMaxParallel { get; init; } = DefaultWalMaxParallel;

    public const int DefaultWalMaxParallel = 1;

    /// <summary>Each drill's evidence, one JSON line per run (the RTO/RPO trend), and how many runs a trend chart shows.</summary>
    public string TrendFile { get; init; } = RepositoryPaths.DefaultTrendFile;
    public int TrendRuns { get; init; } = DefaultTrendRuns;

    public const int DefaultTrendRuns = 14;

    public static DrillSettings Read(SettingsReader settings, string defaultResultsDirectory)
    {
        var seed = RestoreDrills.Configuration.SeedPlan.Read(settings);
        return new DrillSettings
        {
            PostgresImage = settings.String("RESTOREDRILLS_POSTGRES_IMAGE", "restoredrills/postgres:15"),
            PostgresMajor = settings.Raw("RESTOREDRILLS_POSTGRES_MAJOR") is null ? null : settings.Int("RESTOREDRILLS_POSTGRES_MAJOR", 15, min: 9),
            AzuriteImage = settings.String("RESTOREDRILLS_AZURITE_IMAGE", "restoredrills/azurite:3.35.0"),
            SeedRandomSeed = seed.RandomSeed,
            SeedRowCount = seed.Rows,
            Timeouts = DrillTimeouts.Read(settings),
            Budgets = DrillBudgets.Read(settings),
            ResultsDirectory = Path.GetFullPath(settings.String("RESTOREDRILLS_RESULTS_DIR", defaultResultsDirectory)),
            VerifyTables = RestoreDrills.Configuration.VerificationScope.Parse(settings.Raw("RESTOREDRILLS_VERIFY_TABLES")),
            WalMaxParallel = settings.Int("RESTOREDRILLS_WAL_MAX_PARALLEL", DefaultWalMaxParallel, min: 1),
            TrendFile = Path.GetFullPath(settings.String("RESTOREDRILLS_TREND_FILE", RepositoryPaths.DefaultTrendFile)),
            TrendRuns = settings.Int("RESTOREDRILLS_TREND_RUNS", DefaultTrendRuns, min: 1),
        };
    }
}
