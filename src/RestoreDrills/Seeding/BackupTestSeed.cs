using Bogus;
using Npgsql;
using NpgsqlTypes;

namespace RestoreDrills.Seeding;

/// <summary>
/// Seeds backup_test: the runbook's table and canonical rows (seed-sql/001_backup_test.sql), then a volume of
/// Bogus rows from a fixed seed, so any run can be reproduced from the seed and count in its report.
/// </summary>
public static class BackupTestSeed
{
    /// <summary>The runbook's proof: these five names must be in backup_test after every restore.</summary>
    public static readonly IReadOnlyList<string> CanonicalNames =
    [
        "test_user_amine", "backup_validation_data", "restore_test_entry", "working_backup_system", "clean_storage_success",
    ];

    public static string SeedSqlDirectory => Path.Combine(AppContext.BaseDirectory, "seed-sql");

    public static async Task ApplyAsync(NpgsqlConnection db, int randomSeed, int rowCount, CancellationToken ct)
    {
        foreach (var file in Directory.GetFiles(SeedSqlDirectory, "*.sql").Order(StringComparer.Ordinal))
        {
            await using var cmd = new NpgsqlCommand(await File.ReadAllTextAsync(file, ct), db);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await CopyGeneratedRowsAsync(db, randomSeed, rowCount, ct);
    }

    /// <summary>Deterministic rows: the same seed and count give the same names and timestamps.</summary>
    public static IEnumerable<(string Name, DateTime CreatedAt)> GeneratedRows(int randomSeed, int rowCount)
    {
        var faker = new Faker("en") { Random = new Randomizer(randomSeed) };
        var from = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        for (var i = 0; i < rowCount; i++)
        {
            var name = $"{faker.Name.FullName()} <{faker.Internet.Email()}>";
            var createdAt = from.AddSeconds(faker.Random.Int(0, 3 * 365 * 24 * 3600)).AddTicks(faker.Random.Int(0, 9_999_999) / 10 * 10);
            yield return (name.Length > 100 ? name[..100] : name, createdAt);
        }
    }

    private static async Task CopyGeneratedRowsAsync(NpgsqlConnection db, int randomSeed, int rowCount, CancellationToken ct)
    {
        await using var writer = await db.BeginBinaryImportAsync("COPY backup_test (name, created_at) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (name, createdAt) in GeneratedRows(randomSeed, rowCount))
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(name, NpgsqlDbType.Varchar, ct);
            await writer.WriteAsync(createdAt, NpgsqlDbType.Timestamp, ct);
        }
        await writer.CompleteAsync(ct);
    }
}
