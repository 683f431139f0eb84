using System.Text;
using RestoreDrills.Configuration;

namespace RestoreDrills.Verification;

/// <summary>
/// What the verification engine found: per table, the schema differences and the physical findings, turned into
/// the drill's checks and its CSV evidence.
/// </summary>
public sealed record VerificationReport(
    VerificationScope Scope, IReadOnlyList<TableVerification> Tables, IReadOnlyList<string> SchemaDifferences,
    PhysicalCheckResult Physical, TimeSpan Duration)
{
    public const string TablesCheck = "every table in scope equals the source at the target (count, fingerprint, rows by key)";
    public const string SchemaCheck = "the schema equals the source at the target (columns, constraints, indexes, sequences)";
    public const string PhysicalCheck = "every relation of the restored server reads in full and passes amcheck (heap, B-tree heapallindexed)";

    public IEnumerable<TableRowDifference> RowDifferences => Tables.SelectMany(t => t.Differences);

    public IReadOnlyList<CheckResult> Checks()
    {
        var wrong = Tables.Where(t => !t.Equal).ToList();
        var rows = Tables.Sum(t => t.ExpectedRows);
        return
        [
            wrong.Count == 0
                ? CheckResult.Pass(CheckKind.Integrity, TablesCheck, $"{Tables.Count} table(s) in scope '{Scope}', {rows} rows, 0 differences")
                : CheckResult.Fail(CheckKind.Integrity, TablesCheck, $"{wrong.Count} of {Tables.Count} table(s) differ: {string.Join(" | ", wrong.Select(t => t.Summary()))}"),
            SchemaDifferences.Count == 0
                ? CheckResult.Pass(CheckKind.Integrity, SchemaCheck, "0 differences")
                : CheckResult.Fail(CheckKind.Integrity, SchemaCheck, $"{SchemaDifferences.Count} difference(s): {string.Join(" | ", SchemaDifferences)}"),
            Physical.ToCheck(),
        ];
    }

    /// <summary>The "verification" attachment: one line per table (one table shape per attachment, as spreadsheets read them).</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder(TableVerification.CsvHeader).Append('\n');
        foreach (var t in Tables) csv.Append(t.ToCsvLine()).Append('\n');
        return csv.ToString();
    }

    public const string FindingsCsvHeader = "finding_kind,finding";

    /// <summary>The "verification findings" attachment: the schema and physical findings, one line each.</summary>
    public string FindingsCsv()
    {
        var csv = new StringBuilder(FindingsCsvHeader).Append('\n');
        foreach (var s in SchemaDifferences) csv.Append("schema,").Append(TableRowDifference.Csv(s)).Append('\n');
        foreach (var p in Physical.Findings) csv.Append("physical,").Append(TableRowDifference.Csv(p)).Append('\n');
        return csv.ToString();
    }

    public string RowDifferencesCsv() => TableRowDifference.ToCsv(RowDifferences);
}
