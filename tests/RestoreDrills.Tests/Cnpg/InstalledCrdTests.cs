namespace RestoreDrills.Tests.Cnpg;

/// <summary>
/// Live mode validates against the CRDs installed in the cluster, read through KubernetesClient from the double
/// (which serves the directory's files): the same verdicts as the directory's; the shipped ClusterRole grants reading
/// exactly those CRDs; without it the directory's copies are used, said in one line.
/// </summary>
public sealed class InstalledCrdTests : CnpgDoubleTest
{
    [Test]
    public async Task The_clusters_CRDs_give_the_verdicts_of_the_directorys()
    {
        var installed = await InstalledCrds.ReadAsync(Api, CancellationToken.None);
        Assert.That(installed.Kinds, Is.EquivalentTo(Schemas.Value.Kinds));
        Assert.That(installed.Origin, Is.EqualTo("the cluster's CRDs (clusters.postgresql.cnpg.io, backups.postgresql.cnpg.io, " +
                                                 "scheduledbackups.postgresql.cnpg.io, objectstores.barmancloud.cnpg.io)"));
        foreach (var (what, manifest) in Manifests())
            Assert.That(installed.Problems(manifest), Is.EqualTo(Schemas.Value.Problems(manifest)), what);
        Assert.That(installed.Problems(Manifests().Single(m => m.What == "a Cluster of wrong type and unknown field").Manifest),
            Has.Some.StartsWith("/spec/instances: ").And.Some.EqualTo("/spec/surprise: unknown field (the CRD has no such property here)"));
    }

    [Test]
    public async Task Without_the_Barman_Cloud_Plugin_its_ObjectStore_is_simply_absent()
    {
        using var withoutPlugin = CrdsIn("postgresql.cnpg.io_clusters.yaml", "postgresql.cnpg.io_backups.yaml", "postgresql.cnpg.io_scheduledbackups.yaml");
        var installed = await InstalledCrds.ReadAsync(withoutPlugin.Api, CancellationToken.None);
        Assert.That(installed.Kinds.Select(k => k.Kind), Is.EquivalentTo(new[] { "Cluster", "Backup", "ScheduledBackup" }));
    }

    [Test]
    public void A_cluster_without_CloudNative_PGs_CRDs_is_one_line_naming_them()
    {
        using var pluginOnly = CrdsIn("barmancloud.cnpg.io_objectstores.yaml");
        var error = Assert.ThrowsAsync<CnpgSetupException>(() => InstalledCrds.ReadAsync(pluginOnly.Api, CancellationToken.None));
        Assert.That(error!.Message, Is.EqualTo("the cluster has no CustomResourceDefinition clusters.postgresql.cnpg.io, backups.postgresql.cnpg.io, " +
                                               "scheduledbackups.postgresql.cnpg.io: is CloudNative-PG installed?"));
    }

    [Test]
    public async Task Live_mode_reads_the_clusters_CRDs_and_says_so()
    {
        var lines = new List<string>();
        var schemas = await InstalledCrds.LoadAsync(Api, "/nonexistent/crds", lines.Add, CancellationToken.None);
        Assert.That(schemas.Origin, Does.StartWith("the cluster's CRDs"));
        Assert.That(lines, Is.EqualTo(new[] { $"validating manifests against {schemas.Origin}" }));
    }

    [Test]
    public async Task Without_the_ClusterRole_live_mode_validates_against_the_directory_saying_so_in_one_line()
    {
        Double.ClusterGrants = new RoleRules([]);
        var lines = new List<string>();
        var schemas = await InstalledCrds.LoadAsync(Api, CnpgCrds.CrdDirectory, lines.Add, CancellationToken.None);
        Assert.That(schemas.Origin, Is.EqualTo($"the CRDs in {CnpgCrds.CrdDirectory}"));
        Assert.That(lines, Is.EqualTo(new[]
        {
            "the cluster's CRDs cannot be read (forbidden: the drill's Kubernetes identity may not 'get' resource 'customresourcedefinitions' " +
            "(API group apiextensions.k8s.io) at cluster scope: bind it the ClusterRole in fixtures/cnpg/rbac/clusterrole-crds.yaml): " +
            $"validating manifests against the CRDs in {CnpgCrds.CrdDirectory} instead",
        }));
    }

    [Test]
    public void Without_the_ClusterRole_or_the_directory_it_is_one_line_with_both_reasons()
    {
        Double.ClusterGrants = new RoleRules([]);
        var error = Assert.ThrowsAsync<CnpgSetupException>(() => InstalledCrds.LoadAsync(Api, "/nonexistent/crds", _ => { }, CancellationToken.None));
        Assert.That(error!.Message, Does.StartWith("forbidden: the drill's Kubernetes identity may not 'get' resource 'customresourcedefinitions'")
            .And.EndWith("; and " + CrdSchemas.NotFound("/nonexistent/crds")));
    }

    [Test]
    public async Task The_shipped_ClusterRole_grants_reading_exactly_the_CRDs_live_mode_reads_and_no_other()
    {
        await InstalledCrds.ReadAsync(Api, CancellationToken.None);
        var read = Double.Requests.Where(r => r.StartsWith("GET /apis/apiextensions.k8s.io/v1/customresourcedefinitions/", StringComparison.Ordinal))
            .Select(r => r.Split('/')[^1]);
        var clusterRole = RoleRules.ShippedClusterRole();
        Assert.That(clusterRole.Grants, Is.EqualTo(new[] { ("apiextensions.k8s.io", "customresourcedefinitions", "get") }));
        Assert.That(clusterRole.ResourceNames("apiextensions.k8s.io", "customresourcedefinitions", "get"), Is.EquivalentTo(read));

        // A CRD the ClusterRole does not name is refused, though the cluster has it.
        var error = Assert.ThrowsAsync<CnpgSetupException>(() => Api.CustomResourceDefinitionAsync("poolers.postgresql.cnpg.io", CancellationToken.None));
        Assert.That(error!.Message, Does.EndWith("at cluster scope: bind it the ClusterRole in fixtures/cnpg/rbac/clusterrole-crds.yaml"));
        Assert.That(Double.Unexpected, Is.Empty);
    }

    /// <summary>Valid manifests of every kind the drill sends, and broken ones.</summary>
    private static IEnumerable<(string What, JsonObject Manifest)> Manifests()
    {
        var restored = CnpgManifests.RestoredCluster(CnpgFixtureValues.Restore(RecoveryTarget.Time(DateTimeOffset.UtcNow), BackupMethod.BarmanObjectStore));
        yield return ("the restored Cluster", restored);
        foreach (var method in Enum.GetValues<BackupMethod>())
        {
            foreach (var manifest in SourceManifests.Render(method, AzureCredentialsKind.StorageKey, CnpgFixtureValues.Source))
                yield return ($"the source's {manifest["kind"]} ({method})", manifest);
            yield return ($"the Backup ({method})", CnpgManifests.Backup("b", CnpgFixtureValues.Namespace, "run", CnpgFixtureValues.SourceCluster, method));
        }
        var broken = restored.DeepClone().AsObject();
        broken["spec"]!["instances"] = "one";
        broken["spec"]!["surprise"] = 1;
        yield return ("a Cluster of wrong type and unknown field", broken);
        var badMethod = CnpgManifests.Backup("b", CnpgFixtureValues.Namespace, "run", CnpgFixtureValues.SourceCluster, BackupMethod.BarmanObjectStore);
        badMethod["spec"]!["method"] = "barman";
        yield return ("a Backup outside the enum", badMethod);
    }

    /// <summary>A second double whose cluster has only the given CRD files of the directory.</summary>
    private static DoubleWithCrds CrdsIn(params string[] files)
    {
        var directory = Path.Combine(Path.GetTempPath(), "restoredrills-crds-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        foreach (var file in files) File.Copy(Path.Combine(CnpgCrds.CrdDirectory, file), Path.Combine(directory, file));
        var schemas = CrdSchemas.Load(directory);
        Directory.Delete(directory, recursive: true);
        var @double = KubernetesApiDouble.Start(CnpgFixtureValues.Namespace, schemas);
        return new DoubleWithCrds(@double, CnpgApi.Connect(@double.Configuration, CnpgFixtureValues.Namespace));
    }

    private sealed record DoubleWithCrds(KubernetesApiDouble Double, CnpgApi Api) : IDisposable
    {
        public void Dispose()
        {
            Api.Dispose();
            Double.Dispose();
        }
    }
}
