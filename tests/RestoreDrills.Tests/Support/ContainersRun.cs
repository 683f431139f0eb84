namespace RestoreDrills.Tests.Support;

/// <summary>
/// One containers platform (network + Azurite) for every test that needs Docker, whichever concern's folder it is in:
/// started by the first test that asks for <see cref="Platform"/>, so a run of unit tests alone never touches Docker.
/// <see cref="TestRunTeardown"/> removes it at the end of the run, with a label sweep behind it. ./scripts/test starts the engine.
/// </summary>
public static class ContainersRun
{
    private static readonly Lazy<ContainersPlatform> Started = new(() => StartAsync().GetAwaiter().GetResult(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static volatile bool _startAttempted;

    public static string RunId { get; } = "t" + DateTime.UtcNow.ToString("MMddHHmmss") + "-" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>The platform, started on first use; a start that failed fails every test that asks, with its cause.</summary>
    public static ContainersPlatform Platform => Started.Value;

    /// <summary>Where the tests' own drills write results nobody reads (made on first use, removed at the end).</summary>
    public static AllureResultsWriter Scratch => ScratchWriter.Value;

    private static readonly Lazy<AllureResultsWriter> ScratchWriter = new(() => new(Path.Combine(Path.GetTempPath(), "restoredrills-fault-tests", RunId)));

    private static async Task<ContainersPlatform> StartAsync()
    {
        _startAttempted = true;
        ContainerEnvironment.ApplyDefaults();
        InterruptCleanup.Register(RunId);
        var settings = DrillSettings.Read(new SettingsReader(name => TestContext.Parameters.Get(name)), Scratch.ResultsDirectory)
            with { SeedRowCount = 200 };
        await ResourceSweeper.SweepLeftoversAsync();
        return await ContainersPlatform.StartAsync(settings, RunId, CancellationToken.None);
    }

    /// <summary>Removes the platform and whatever of this run is left, if any test started it.</summary>
    internal static async Task StopAsync()
    {
        if (_startAttempted)
        {
            if (Started.IsValueCreated) await Started.Value.DisposeAsync();
            await ResourceSweeper.SweepRunAsync(RunId);
        }
        if (ScratchWriter.IsValueCreated && Directory.Exists(Scratch.ResultsDirectory)) Directory.Delete(Scratch.ResultsDirectory, recursive: true);
    }
}
