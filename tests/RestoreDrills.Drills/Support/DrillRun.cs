using NUnit.Framework;
using RestoreDrills;
using RestoreDrills.Configuration;
using RestoreDrills.Platforms.Containers;
using RestoreDrills.Reporting;
using RestoreDrills.Reporting.Allure;

// In the global namespace so it wraps every drill in the assembly (NUnit rule for [SetUpFixture]).

/// <summary>
/// One drill run: reads and checks the settings before any work, sweeps what killed runs left behind, starts
/// the containers platform (network + Azurite) once for all drills, and removes everything at the end,
/// also when a drill fails or the run is cancelled.
/// </summary>
[SetUpFixture]
public sealed class DrillRun
{
    private static ContainersPlatform? _platform;
    private static readonly CancellationTokenSource Cancellation = new();

    public static string RunId { get; } = DateTime.UtcNow.ToString("MMddHHmmss") + "-" + Guid.NewGuid().ToString("N")[..6];
    public static DrillSettings Settings { get; private set; } = null!;
    public static AllureResultsWriter Results { get; private set; } = null!;
    public static CancellationToken Token => Cancellation.Token;

    public static ContainersPlatform Platform =>
        _platform ?? throw new InvalidOperationException("the containers platform did not start: see the set-up error");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Settings = DrillSettings.Read(new SettingsReader(name => TestContext.Parameters.Get(name)), RepositoryPaths.DefaultResultsDirectory);
        Results = new AllureResultsWriter(Settings.ResultsDirectory);
        RunReport.WriteRunFiles(Results, Settings, RunId);

        ContainerEnvironment.ApplyDefaults();
        // A cancelled run (SIGTERM, Ctrl-C) removes what it started before the process goes.
        InterruptCleanup.Register(RunId, beforeSweep: Cancellation.Cancel);

        await ResourceSweeper.SweepLeftoversAsync(Token);
        TestContext.Progress.WriteLine($"[run {RunId}] starting the containers platform (network, Azurite {Settings.AzuriteImage})");
        _platform = await ContainersPlatform.StartAsync(Settings, RunId, Token);
        RunFacts.Record("postgres.image", await DockerEngine.DescribeImageAsync(Settings.PostgresImage, Token));
        RunFacts.Record("objectstore.image", await DockerEngine.DescribeImageAsync(Settings.AzuriteImage, Token));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        try
        {
            RunReport.WriteEnvironment(Results, Settings, RunId);
        }
        finally
        {
            if (_platform is not null) await _platform.DisposeAsync();
            _platform = null;
            await ResourceSweeper.SweepRunAsync(RunId);
            InterruptCleanup.Completed();
        }
        TestContext.Progress.WriteLine($"[run {RunId}] removed every container and network of this run");
    }
}
