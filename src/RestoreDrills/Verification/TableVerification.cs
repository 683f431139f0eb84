using System.Globalization;

namespace RestoreDrills.Verification;

/// <summary>
/// The verdict on one table: row counts and fingerprints on both sides, how it was compared, and either the
/// differing rows found (bounded) or why the table could not be read.
/// </summary>
public sealed record TableVerification(
    string Table, string Method, long ExpectedRows, long RestoredRows, string ExpectedFingerprint, string RestoredFingerprint,
    IReadOnlyList<TableRowDifference> Differences, string Note, string? Error, TimeSpan Duration)
{
    public const string CsvHeader = "table,method,expected_rows,restored_rows,equal,missing,extra,changed,expected_fingerprint,restored_fingerprint,seconds,note";

    public bool Equal => Error is null && ExpectedRows == RestoredRows && ExpectedFingerprint == RestoredFingerprint;

    public int Count(DifferenceKind kind) => Differences.Count(d => d.Kind == kind);

    public string ToCsvLine() => string.Join(',',
        TableRowDifference.Csv(Table), Method, ExpectedRows, RestoredRows, Equal ? "yes" : "no",
        Count(DifferenceKind.Missing), Count(DifferenceKind.Extra), Count(DifferenceKind.Changed),
        ExpectedFingerprint, RestoredFingerprint, Duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture),
        TableRowDifference.Csv(Error is null ? Note : $"{Error} {Note}".Trim()));

    public string Summary()
    {
        if (Error is not null) return $"{Table}: {Error}";
        if (Equal) return $"{Table}: {ExpectedRows} rows equal";
        var kinds = new[] { DifferenceKind.Missing, DifferenceKind.Extra, DifferenceKind.Changed }
            .Where(k => Count(k) > 0).Select(k => $"{Count(k)} {k.ToString().ToLowerInvariant()}").ToList();
        // Fingerprints that differ while no row was told apart (e.g. the bisection's bound reached): say so, not nothing.
        var found = kinds.Count > 0 ? string.Join(", ", kinds) : "fingerprints differ, no differing row identified";
        return $"{Table}: {ExpectedRows} rows expected, {RestoredRows} restored; {found}"
               + (Differences.Count > 0 ? $", e.g. {string.Join("; ", Differences.Take(3))}" : "")
               + (Note.Length > 0 ? $" ({Note})" : "");
    }
}
