using NUnit.Framework;
using RestoreDrills.Configuration;
using RestoreDrills.Platforms.Containers;
using RestoreDrills.Reporting.Allure;

namespace RestoreDrills.Tests.Containers;

/// <summary>
/// One containers platform (network + Azurite) for the fault tests in this namespace; removed at the end,
/// with a label sweep behind it. Needs a Docker engine: ./scripts/test starts one.
/// </summary>
[SetUpFixture]
public sealed class ContainersRun
{
    private static ContainersPlatform? _platform;

    public static string RunId { get; } = "t" + DateTime.UtcNow.ToString("MMddHHmmss") + "-" + Guid.NewGuid().ToString("N")[..6];
    public static ContainersPlatform Platform => _platform ?? throw new InvalidOperationException("the containers platform did not start");
    public static AllureResultsWriter Scratch { get; } = new(Path.Combine(Path.GetTempPath(), "restoredrills-fault-tests", RunId));

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        ContainerEnvironment.ApplyDefaults();
        InterruptCleanup.Register(RunId);
        var settings = DrillSettings.Read(new SettingsReader(name => TestContext.Parameters.Get(name)), Scratch.ResultsDirectory)
            with { SeedRowCount = 200 };
        await ResourceSweeper.SweepLeftoversAsync();
        _platform = await ContainersPlatform.StartAsync(settings, RunId, CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_platform is not null) await _platform.DisposeAsync();
        await ResourceSweeper.SweepRunAsync(RunId);
        Directory.Delete(Scratch.ResultsDirectory, recursive: true);
    }
}
