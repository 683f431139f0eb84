namespace RestoreDrills.Tests.Support;

/// <summary>
/// A fixture around one prepared drill on the shared containers platform: its source seeded, backed up and its target
/// set, once for the fixture; removed at the end. The set-up the fault, store, WAL fetch and verification tests share
/// (as Npgsql's TestBase): a fixture says its target and adds what it needs after it.
/// </summary>
[Category("Containers")]
[NonParallelizable]
public abstract class PreparedDrillTest
{
    protected RestoreDrill Drill { get; private set; } = null!;
    protected DrillPreparation Prep { get; private set; } = null!;

    protected abstract RecoveryTargetKind TargetKind { get; }

    /// <summary>Where the drill's progress lines go (none by default: the fixture asserts on what it needs).</summary>
    protected virtual TextWriter Progress => TextWriter.Null;

    /// <summary>The drill before preparation; a fixture that needs more (a workload, a verification scope) says so here.</summary>
    protected virtual RestoreDrill NewDrill(DrillJournal journal) => new(ContainersRun.Platform, TargetKind, journal);

    [OneTimeSetUp]
    public async Task PrepareDrillAsync()
    {
        Drill = NewDrill(new DrillJournal(ContainersRun.Scratch, Progress, GetType().Name));
        Prep = await Drill.PrepareAsync(CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task RemoveDrillAsync()
    {
        if (Drill is not null) await Drill.DisposeAsync();
    }
}
