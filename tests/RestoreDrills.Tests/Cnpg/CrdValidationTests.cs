namespace RestoreDrills.Tests.Cnpg;

/// <summary>Every manifest the drill can send validates against the official CRDs; broken ones are rejected readably.</summary>
public sealed class CrdValidationTests
{
    private static Lazy<CrdSchemas> Schemas => CnpgCrds.Loaded;

    public static IEnumerable<TestCaseData> RestoredClusters() =>
        from target in CnpgFixtureValues.EveryTarget()
        from method in Enum.GetValues<BackupMethod>()
        from credentials in method == BackupMethod.Plugin ? [AzureCredentialsKind.ConnectionString] : Enum.GetValues<AzureCredentialsKind>()
        select new TestCaseData(target, method, credentials).SetArgDisplayNames(target.Kind.Id(), method.ToString(), credentials.ToString());

    [TestCaseSource(nameof(RestoredClusters))]
    public void The_restored_cluster_validates(RecoveryTarget target, BackupMethod method, AzureCredentialsKind credentials)
    {
        var cluster = CnpgManifests.RestoredCluster(CnpgFixtureValues.Restore(target, method, credentials));
        Assert.That(Schemas.Value.Problems(cluster), Is.Empty);
        var recoveryTarget = cluster["spec"]!["bootstrap"]!["recovery"]!["recoveryTarget"];
        if (target.Kind == RecoveryTargetKind.Latest) Assert.That(recoveryTarget, Is.Null);
        else if (target.BackupId is not null) Assert.That(recoveryTarget!["backupID"]!.GetValue<string>(), Is.EqualTo(target.BackupId));
    }

    [TestCase(BackupMethod.BarmanObjectStore)]
    [TestCase(BackupMethod.Plugin)]
    public void The_on_demand_backup_validates(BackupMethod method)
    {
        var backup = CnpgManifests.Backup("pg-prod-drill-1", CnpgFixtureValues.Namespace, "run-1", CnpgFixtureValues.SourceCluster, method);
        Assert.That(Schemas.Value.Problems(backup), Is.Empty);
        Assert.That(backup["spec"]!["method"]!.GetValue<string>(), Is.EqualTo(method == BackupMethod.Plugin ? "plugin" : "barmanObjectStore"));
    }

    [Test]
    public void The_source_and_its_scheduled_backup_validate_for_every_method_and_credential(
        [Values] BackupMethod method, [Values] AzureCredentialsKind credentials)
    {
        var manifests = SourceManifests.Render(method, credentials, CnpgFixtureValues.Source);
        Assert.That(manifests.Select(m => m["kind"]!.GetValue<string>()), Does.Contain("ScheduledBackup").And.Contain("Cluster"));
        foreach (var manifest in manifests)
            Assert.That(Schemas.Value.Problems(manifest), Is.Empty, manifest["kind"]!.GetValue<string>());
    }

    [Test]
    public void The_runbook_restore_validates()
    {
        var vars = new Dictionary<string, string>(CnpgFixtureValues.Source)
        {
            ["CLUSTER_NAME"] = "pg-prod-restore", ["EXTERNAL_CLUSTER"] = "pg-prod", ["TARGET_TIME"] = "2026-11-25T18:34:40+00:00",
        };
        Assert.That(Schemas.Value.Problems(ManifestTemplate.Load("restore/runbook-restore.yaml").Render(vars)), Is.Empty);
    }

    [Test]
    public void An_unknown_field_is_rejected_naming_it()
    {
        var cluster = Valid();
        cluster["spec"]!["bootstrap"]!["recovery"]!["recoveryTarget"]!["targetTimeX"] = "2026-11-25T18:34:40Z";
        var problems = Schemas.Value.Problems(cluster);
        Assert.That(problems, Has.Some.StartsWith("/spec/bootstrap/recovery/recoveryTarget/targetTimeX: unknown field"));
    }

    [Test]
    public void A_wrong_type_is_rejected_naming_the_field()
    {
        var cluster = Valid();
        cluster["spec"]!["instances"] = "one";
        Assert.That(Schemas.Value.Problems(cluster), Has.Some.StartsWith("/spec/instances: ").And.Some.Contains("integer"));
    }

    [Test]
    public void A_value_outside_the_enum_is_rejected()
    {
        var backup = CnpgManifests.Backup("b", "ns", "run", "pg-prod", BackupMethod.BarmanObjectStore);
        backup["spec"]!["method"] = "barman";
        Assert.That(Schemas.Value.Problems(backup), Is.EqualTo(new[] { "/spec/method: must be one of \"barmanObjectStore\", \"volumeSnapshot\", \"plugin\" (enum)" }));
    }

    [Test]
    public void A_missing_required_field_is_rejected()
    {
        var cluster = Valid();
        cluster["spec"]!["externalClusters"]![0]!["barmanObjectStore"]!.AsObject().Remove("destinationPath");
        Assert.That(Schemas.Value.Problems(cluster), Has.Some.StartsWith("/spec/externalClusters/0/barmanObjectStore: ").And.Some.Contains("destinationPath"));
    }

    [Test]
    public void Int_or_string_accepts_both_and_nothing_else()
    {
        var cluster = Valid();
        cluster["spec"]!["resources"] = JsonNode.Parse("""{"limits":{"cpu":2,"memory":"1Gi"}}""");
        Assert.That(Schemas.Value.Problems(cluster), Is.Empty);
        cluster["spec"]!["resources"] = JsonNode.Parse("""{"limits":{"cpu":true}}""");
        Assert.That(Schemas.Value.Problems(cluster), Has.Some.StartsWith("/spec/resources/limits/cpu: "));
    }

    [Test]
    public void Validate_throws_one_readable_line_with_every_problem()
    {
        var cluster = Valid();
        cluster["spec"]!["instances"] = "one";
        cluster["spec"]!["surprise"] = 1;
        var error = Assert.Throws<ManifestInvalidException>(() => Schemas.Value.Validate(cluster, "the restored cluster"));
        Assert.That(error!.Message, Does.StartWith("the restored cluster does not validate against the CloudNative-PG CRD: ")
            .And.Contain("/spec/instances").And.Contain("/spec/surprise: unknown field").And.Not.Contain("\n"));
    }

    [Test]
    public void YAML_as_kubectl_reads_it_validates_reusePVC_on_as_the_boolean_it_is_and_rejects_it_quoted()
    {
        const string cluster = """
            apiVersion: postgresql.cnpg.io/v1
            kind: Cluster
            metadata:
              name: cluster-drain-node
            spec:
              instances: 3
              nodeMaintenanceWindow:
                reusePVC: {0}
                inProgress: on
              storage:
                size: 1Gi
            """;
        Assert.That(Schemas.Value.Problems(YamlJson.Parse(cluster.Replace("{0}", "on"))!.AsObject()), Is.Empty);
        Assert.That(Schemas.Value.Problems(YamlJson.Parse(cluster.Replace("{0}", "\"on\""))!.AsObject()),
            Has.Some.StartsWith("/spec/nodeMaintenanceWindow/reusePVC: "));
    }

    private static JsonObject Valid() =>
        CnpgManifests.RestoredCluster(CnpgFixtureValues.Restore(RecoveryTarget.Time(DateTimeOffset.UtcNow), BackupMethod.BarmanObjectStore));
}
