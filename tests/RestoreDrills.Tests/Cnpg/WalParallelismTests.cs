namespace RestoreDrills.Tests.Cnpg;

/// <summary>The restored cluster fetches WAL with the source's own wal.maxParallel, else the setting; CNPG's default is 1.</summary>
public sealed class WalParallelismTests
{
    private static JsonObject SourceCluster(int? maxParallel)
    {
        var cluster = SourceManifests.Render(BackupMethod.BarmanObjectStore, AzureCredentialsKind.ConnectionString, CnpgFixtureValues.Source)
            .Single(m => m["kind"]!.GetValue<string>() == "Cluster");
        if (maxParallel is { } value) cluster["spec"]!["backup"]!["barmanObjectStore"]!["wal"]!["maxParallel"] = value;
        return cluster;
    }

    private static JsonNode? MaxParallelIn(JsonObject restored) =>
        restored["spec"]!["externalClusters"]![0]!["barmanObjectStore"]!["wal"]!["maxParallel"];

    [Test]
    public void The_sources_own_max_parallel_goes_into_the_restored_cluster_which_validates()
    {
        var wal = WalParallelism.Of(SourceCluster(5), setting: 2);
        Assert.That(wal.MaxParallel, Is.EqualTo(5));
        Assert.That(wal.Origin, Does.Contain("spec.backup.barmanObjectStore.wal.maxParallel").And.Contain(CnpgFixtureValues.SourceCluster));

        var restored = CnpgManifests.RestoredCluster(CnpgFixtureValues.Restore(RecoveryTarget.Latest(), BackupMethod.BarmanObjectStore) with { Wal = wal });
        Assert.That(MaxParallelIn(restored)!.GetValue<int>(), Is.EqualTo(5));
        Assert.That(CnpgCrds.Loaded.Value.Problems(restored), Is.Empty);
    }

    [Test]
    public void Without_one_on_the_source_the_setting_is_used_and_named()
    {
        foreach (var source in new[] { SourceCluster(null), null })
        {
            var wal = WalParallelism.Of(source, setting: 3);
            Assert.That((wal.MaxParallel, wal.Origin), Is.EqualTo((3, "RESTOREDRILLS_WAL_MAX_PARALLEL")));
        }
        var restored = CnpgManifests.RestoredCluster(CnpgFixtureValues.Restore(RecoveryTarget.Latest(), BackupMethod.BarmanObjectStore));
        Assert.That(MaxParallelIn(restored)!.GetValue<int>(), Is.EqualTo(1), "CNPG's default when nothing says otherwise");
    }

    [Test]
    public void A_max_parallel_below_one_is_refused_by_name()
    {
        var reader = new SettingsReader(name => name == "RESTOREDRILLS_WAL_MAX_PARALLEL" ? "0" : null);
        var error = Assert.Throws<InvalidSettingException>(() => CnpgSettings.Read(reader));
        Assert.That(error!.Message, Does.Contain("RESTOREDRILLS_WAL_MAX_PARALLEL"));
    }
}
