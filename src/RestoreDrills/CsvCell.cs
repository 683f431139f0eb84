namespace RestoreDrills;

/// <summary>
/// One text cell of a CSV attachment, which auditors open in spreadsheets: quoted, so a comma, quote or line break in
/// a restored value never shifts the columns; and a value a spreadsheet would run as a formula (starting with =, +, -,
/// @, a tab or a carriage return: OWASP's CSV injection guidance) is written with a leading single quote, as text.
/// Restored values are whatever the backup holds: a drill never hands one to a spreadsheet as a formula.
/// </summary>
public static class CsvCell
{
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    /// <summary>The quoted cell; null is an empty cell (no value), "" a quoted empty string.</summary>
    public static string Of(string? value)
    {
        if (value is null) return "";
        var text = value.Length > 0 && FormulaStarts.Contains(value[0]) ? "'" + value : value;
        return "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
