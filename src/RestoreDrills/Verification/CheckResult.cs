namespace RestoreDrills.Verification;

/// <summary>One named proof and its verdict; <see cref="Detail"/> says what was seen (the cause, when it failed).</summary>
public sealed record CheckResult(string Name, bool Passed, string Detail)
{
    public static CheckResult Pass(string name, string detail) => new(name, true, detail);
    public static CheckResult Fail(string name, string detail) => new(name, false, detail);
    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")} {Name}: {Detail}";
}
