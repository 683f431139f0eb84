using System.Text;

namespace RestoreDrills.Verification;

/// <summary>
/// One row that differs between the source at the target and the restored copy, found by the engine in any
/// table: its key (JSON array of the primary key values, or the row hash for tables without one), the changed
/// columns, and the values on each side (JSON: the changed columns for a changed row, the whole row otherwise).
/// </summary>
public sealed record TableRowDifference(string Table, DifferenceKind Kind, string Key, IReadOnlyList<string> ChangedColumns, string? Expected, string? Restored)
{
    public const string CsvHeader = "table,kind,key,changed_columns,expected,restored";

    public string ToCsvLine() => string.Join(',', Csv(Table), Kind.ToString().ToLowerInvariant(), Csv(Key),
        Csv(string.Join(' ', ChangedColumns)), Csv(Expected), Csv(Restored));

    public static string ToCsv(IEnumerable<TableRowDifference> differences)
    {
        var csv = new StringBuilder(CsvHeader).Append('\n');
        foreach (var d in differences) csv.Append(d.ToCsvLine()).Append('\n');
        return csv.ToString();
    }

    public override string ToString() =>
        $"{Kind.ToString().ToLowerInvariant()} {Table} {Key}" + (ChangedColumns.Count > 0 ? $" ({string.Join(", ", ChangedColumns)})" : "");

    internal static string Csv(string? value) => CsvCell.Of(value);
}
