namespace RestoreDrills.Verification;

using RestoreDrills.Seeding;

/// <summary>A row that differs between the source at the target (expected) and the restored table.</summary>
public sealed record RowDifference(DifferenceKind Kind, int Id, BackupTestRow? Expected, BackupTestRow? Restored)
{
    public IReadOnlyList<string> ChangedColumns =>
        Expected is null || Restored is null ? [] :
        new[] { ("name", Expected.Name != Restored.Name), ("created_at", Expected.CreatedAt != Restored.CreatedAt) }
            .Where(c => c.Item2).Select(c => c.Item1).ToList();

    public static IReadOnlyList<RowDifference> Between(TableSnapshot expected, TableSnapshot restored)
    {
        var differences = new List<RowDifference>();
        foreach (var (id, row) in expected.Rows)
        {
            if (!restored.Rows.TryGetValue(id, out var actual)) differences.Add(new(DifferenceKind.Missing, id, row, null));
            else if (actual != row) differences.Add(new(DifferenceKind.Changed, id, row, actual));
        }
        differences.AddRange(restored.Rows.Where(r => !expected.Rows.ContainsKey(r.Key))
            .Select(r => new RowDifference(DifferenceKind.Extra, r.Key, null, r.Value)));
        return differences.OrderBy(d => d.Id).ToList();
    }

    /// <summary>The differences as CSV, one line a row: the attachment an auditor opens.</summary>
    public static string ToCsv(IEnumerable<RowDifference> differences)
    {
        var lines = new List<string> { "kind,id,changed_columns,expected_name,expected_created_at,restored_name,restored_created_at" };
        lines.AddRange(differences.Select(d => string.Join(',',
            d.Kind.ToString().ToLowerInvariant(), d.Id, Csv(string.Join(' ', d.ChangedColumns)),
            Csv(d.Expected?.Name), Csv(d.Expected?.CreatedAt?.ToString("O")), Csv(d.Restored?.Name), Csv(d.Restored?.CreatedAt?.ToString("O")))));
        return string.Join('\n', lines) + "\n";
    }

    private static string Csv(string? value) => CsvCell.Of(value);
}
