namespace RestoreDrills.Tests;

/// <summary>The end of the whole test run (every namespace below RestoreDrills.Tests): what the run started is removed.</summary>
[SetUpFixture]
public sealed class TestRunTeardown
{
    [OneTimeTearDown]
    public Task StopAsync() => Support.ContainersRun.StopAsync();
}
