using System.Globalization;
using RestoreDrills.Failures;
using RestoreDrills.Seeding;

namespace RestoreDrills.Configuration;

/// <summary>
/// What a restore of an existing store must show without access to its source (RESTOREDRILLS_EXPECT_*): tables
/// that must exist, minimum row counts, the runbook's canonical rows in backup_test, and rows matching a predicate.
/// "none" turns an expectation off.
/// </summary>
public sealed record StoreExpectations(
    IReadOnlyList<string> Tables,
    IReadOnlyList<string> CanonicalRows,
    IReadOnlyDictionary<string, long> MinimumRows,
    IReadOnlyList<RowPredicate> RowsMatching)
{
    public static StoreExpectations Read(SettingsReader s) => new(
        List(s.String(SettingsTable.ExpectTables)),
        List(s.String(SettingsTable.ExpectCanonicalRows, string.Join(',', BackupTestSeed.CanonicalNames))),
        MinimumRowCounts(s.String(SettingsTable.ExpectMinRows)),
        Predicates(s.String(SettingsTable.ExpectRowsMatching)));

    private static List<string> List(string value) =>
        value == "none" ? [] : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static Dictionary<string, long> MinimumRowCounts(string value)
    {
        var counts = new Dictionary<string, long>();
        foreach (var entry in List(value))
        {
            var parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var min))
                throw new InvalidSettingException($"RESTOREDRILLS_EXPECT_MIN_ROWS entry '{entry}' is not <table>=<count>: e.g. backup_test=5,public.orders=1000");
            counts[parts[0]] = min;
        }
        return counts;
    }

    private static List<RowPredicate> Predicates(string value)
    {
        if (value == "none") return [];
        var predicates = new List<RowPredicate>();
        foreach (var entry in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = entry.IndexOf(':');
            if (at <= 0 || entry[(at + 1)..].Trim().Length == 0)
                throw new InvalidSettingException($"RESTOREDRILLS_EXPECT_ROWS_MATCHING entry '{entry}' is not <table>: <SQL condition>: e.g. backup_test: created_at > now() - interval '2 days'");
            predicates.Add(new RowPredicate(entry[..at].Trim(), entry[(at + 1)..].Trim()));
        }
        return predicates;
    }
}
