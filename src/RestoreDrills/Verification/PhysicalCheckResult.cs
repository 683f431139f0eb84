namespace RestoreDrills.Verification;

/// <summary>What the physical checks read (heaps, B-tree indexes), what they found (one line a finding), and how long they took.</summary>
public sealed record PhysicalCheckResult(int Heaps, int Indexes, IReadOnlyList<string> Findings, TimeSpan Duration = default)
{
    public CheckResult ToCheck() => Findings.Count == 0
        ? CheckResult.Pass(CheckKind.Integrity, VerificationReport.PhysicalCheck, $"{Heaps} heaps and {Indexes} B-tree indexes read, 0 findings")
        : CheckResult.Fail(CheckKind.Integrity, VerificationReport.PhysicalCheck, $"{Findings.Count} finding(s) in {Heaps} heaps and {Indexes} indexes: {string.Join(" | ", Findings.Take(5))}");
}
