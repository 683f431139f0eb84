namespace RestoreDrills.Tests.Support;

/// <summary>
/// A test that needs a tool (Chromium, Node.js) is ignored with a reason on a developer's machine that lacks it,
/// but FAILS in CI (CI=true), where ./scripts/test installs everything: a missing tool never passes silently.
/// </summary>
public static class BuildServer
{
    public static bool IsCi => Environment.GetEnvironmentVariable("CI") is "true" or "1";

    public static void Require(bool available, string what)
    {
        if (available) return;
        var message = $"{what} is not available: run ./scripts/test, which installs it";
        if (IsCi) Assert.Fail(message);
        Assert.Ignore(message);
    }
}
