namespace RestoreDrills.Verification;

/// <summary>
/// One named proof and its verdict; <see cref="Detail"/> says what was seen (the cause, when it failed), and
/// <see cref="Kind"/> what it proves, which alone decides the category of its failure.
/// </summary>
public sealed record CheckResult(string Name, bool Passed, string Detail, CheckKind Kind)
{
    public static CheckResult Pass(CheckKind kind, string name, string detail) => new(name, true, detail, kind);
    public static CheckResult Fail(CheckKind kind, string name, string detail) => new(name, false, detail, kind);
    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")} {Name}: {Detail}";
}
