namespace RestoreDrills.Tests.Drills;

/// <summary>
/// The upgrade mode with one pair (./scripts/drill --upgrade runs all three): a backup barman-cloud 3.4 wrote, restored
/// by barman-cloud 3.13 in a sidecar, passes; and the sidecar really is what restores (one without barman-cloud fails).
/// </summary>
[TestFixture]
[Category("Containers")]
[NonParallelizable]
public sealed class BarmanUpgradeDrillTests
{
    [Test]
    public async Task A_backup_barman_cloud_3_4_wrote_restores_to_the_archives_end_with_barman_cloud_3_13()
    {
        var upgrade = BarmanUpgrade.Between(15, 17);
        await LocalImage.RequireAsync(upgrade.RestoringImage);
        var progress = new StringWriter();
        await using var drill = new RestoreDrill(ContainersRun.Platform, RecoveryTargetKind.Latest, new DrillJournal(ContainersRun.Scratch, progress, "upgrade")) { Upgrade = upgrade };

        var outcome = await drill.RunAsync(CancellationToken.None);

        TestContext.Progress.WriteLine(string.Join('\n', progress.ToString().Split('\n').Where(l => l.Contains("Download base backup", StringComparison.Ordinal))));
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Failures, Is.Empty, outcome.FailureMessage);
            Assert.That(outcome.Checks.Single(c => c.Name == RestoreDrills.Verification.ArchiveEndCheck.Name).Passed, Is.True);
            Assert.That(progress.ToString(), Does.Contain($"(barman-cloud-restore 3.13.").And.Contain($"in a sidecar of {upgrade.RestoringImage})"));
        });
    }

    /// <summary>The download and the WAL come from the sidecar, not from the server's own barman-cloud: a sidecar without it fails.</summary>
    [Test]
    public async Task A_sidecar_without_barman_cloud_fails_the_restore_naming_it()
    {
        var image = ContainersRun.Platform.Settings.AzuriteImage; // Debian and Node.js, no barman-cloud
        await using var drill = new RestoreDrill(ContainersRun.Platform, RecoveryTargetKind.Latest, new DrillJournal(ContainersRun.Scratch, TextWriter.Null, "no-barman"))
            { Upgrade = new BarmanUpgrade(ContainersRun.Platform.Settings.PostgresImage, image) };
        var prep = await drill.PrepareAsync(CancellationToken.None);

        var failure = Assert.ThrowsAsync<RestoreDrills.Failures.InvalidSettingException>(() => drill.RestoreAsync(prep, CancellationToken.None))!;

        Assert.That(failure.Message, Does.StartWith($"the restoring image {image} has no working barman-cloud-restore: ").And.Contain("barman-cloud-restore --version"));
    }
}
