using RestoreDrills.Configuration;

namespace RestoreDrills.Configuration;

/// <summary>How backup_test is seeded: the Bogus seed and the generated row count, written to the report so a run can be reproduced.</summary>
public sealed record SeedPlan(int RandomSeed, int Rows)
{
    public static SeedPlan Read(SettingsReader settings) => new(
        settings.Int(SettingsTable.SeedRandomSeed),
        settings.Int(SettingsTable.SeedRows, min: 20));
}
