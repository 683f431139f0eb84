using RestoreDrills.Configuration;

namespace RestoreDrills.Configuration;

/// <summary>How backup_test is seeded: the Bogus seed and the generated row count, written to the report so a run can be reproduced.</summary>
public sealed record SeedPlan(int RandomSeed, int Rows)
{
    public static SeedPlan Read(SettingsReader settings) => new(
        settings.Int("RESTOREDRILLS_SEED_RANDOM_SEED", 20261125),
        settings.Int("RESTOREDRILLS_SEED_ROWS", 5000, min: 20));
}
