namespace RestoreDrills.Tests.Drills;

/// <summary>
/// The majors a user upgrades to, one drill each (./scripts/drill --postgres N runs all six): Debian's PostgreSQL 17 with
/// barman-cloud 3.13 (trixie) and 18 with 3.20 (forky), built by ./scripts/test; and an image that is not the major
/// the run claims stops the drill before anything is restored.
/// </summary>
[TestFixture]
[Category("Containers")]
[NonParallelizable]
public sealed class PostgresMajorDrillTests
{
    /// <summary>A platform of its own (network, Azurite) with these settings; swept with the run's own resources.</summary>
    private static async Task<SweptPlatform> OwnPlatformAsync(DrillSettings settings, string name)
    {
        var runId = $"{ContainersRun.RunId}-{name}";
        return new SweptPlatform(await ContainersPlatform.StartAsync(settings, runId, CancellationToken.None), runId);
    }

    private sealed record SweptPlatform(ContainersPlatform Platform, string RunId) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Platform.DisposeAsync();
            await ResourceSweeper.SweepRunAsync(RunId, CancellationToken.None);
        }

        public static implicit operator ContainersPlatform(SweptPlatform swept) => swept.Platform;
    }

    [TestCase(17, "barman-cloud-backup 3.13")]
    [TestCase(18, "barman-cloud-backup 3.20")]
    public async Task A_restore_to_the_end_of_the_archive_passes_on_the_major_with_its_barman_cloud(int major, string barman)
    {
        var image = $"restoredrills/postgres:{major}";
        await LocalImage.RequireAsync(image);
        var settings = ContainersRun.Platform.Settings with { PostgresImage = image, PostgresMajor = major };
        await using var platform = await OwnPlatformAsync(settings, $"pg{major}");
        await using var drill = new RestoreDrill(platform, RecoveryTargetKind.Latest, new DrillJournal(ContainersRun.Scratch, TestContext.Progress, $"pg{major}"));

        var outcome = await drill.RunAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Failures, Is.Empty, outcome.FailureMessage);
            Assert.That(RunFacts.All["postgres.version"], Does.StartWith($"{major}."));
            Assert.That(RunFacts.All["barman-cloud.version"], Does.StartWith(barman));
        });
    }

    /// <summary>
    /// A store a PostgreSQL 17 or 18 source wrote (with its own barman-cloud) restores, read-only, into the image of that
    /// major by default (RESTOREDRILLS_POSTGRES_IMAGES unset): before, the default named only 15 and the drill stopped.
    /// </summary>
    [TestCase(17)]
    [TestCase(18)]
    public async Task The_existing_store_drill_restores_a_store_of_the_major_into_its_image(int major)
    {
        var image = $"restoredrills/postgres:{major}";
        await LocalImage.RequireAsync(image);
        var settings = ContainersRun.Platform.Settings with { PostgresImage = image, PostgresMajor = major };
        await using var platform = await OwnPlatformAsync(settings, $"store{major}");
        await using var source = new RestoreDrill(platform, RecoveryTargetKind.Name, new DrillJournal(ContainersRun.Scratch, TextWriter.Null, $"store{major}"));
        await source.PrepareAsync(CancellationToken.None);
        var store = platform.Platform.Store;
        var values = new Dictionary<string, string>
        {
            ["RESTOREDRILLS_STORE_URL"] = store.DestinationPath,
            ["RESTOREDRILLS_STORE_URL_FROM_HOST"] = store.HostDestinationPath,
            ["RESTOREDRILLS_SERVER_NAME"] = source.Source.Store.ServerName,
            ["RESTOREDRILLS_STORE_CONNECTION_STRING"] = store.NetworkConnectionString,
            ["RESTOREDRILLS_STORE_TARGET"] = "recorded",
        };
        // The run's own image is 15: the store's major picks the project's image of it.
        var storeSettings = ExistingStoreSettings.Read(new SettingsReader(n => values.GetValueOrDefault(n), _ => null), "restoredrills/postgres:15", 15);
        await using var drill = new ExistingStoreDrill(platform, storeSettings, new DrillJournal(ContainersRun.Scratch, TestContext.Progress, $"existing{major}"));

        var outcome = await drill.RunAsync(CancellationToken.None);
        await using var db = await drill.Restored!.OpenAsync(CancellationToken.None);
        var version = (string)(await new Npgsql.NpgsqlCommand("SHOW server_version", db).ExecuteScalarAsync())!;

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Failures, Is.Empty, outcome.FailureMessage);
            Assert.That(outcome.Checks.Select(c => c.Name), Does.Contain("backup_test equals the recorded state at the target"));
            Assert.That(version, Does.StartWith($"{major}."));
        });
    }

    [Test]
    public async Task An_image_of_another_major_than_claimed_stops_the_drill_naming_both()
    {
        var settings = ContainersRun.Platform.Settings with { PostgresMajor = 17 };
        await using var platform = await OwnPlatformAsync(settings, "claims17");
        await using var drill = new RestoreDrill(platform, RecoveryTargetKind.Immediate, new DrillJournal(ContainersRun.Scratch, TextWriter.Null, "wrong-major"));

        var failure = Assert.ThrowsAsync<InvalidSettingException>(() => drill.PrepareAsync(CancellationToken.None))!;

        Assert.That(failure.Message, Does.StartWith($"the image {settings.PostgresImage} runs PostgreSQL 15.").And.Contain("not 17 as RESTOREDRILLS_POSTGRES_MAJOR (--postgres) asks"));
    }
}
