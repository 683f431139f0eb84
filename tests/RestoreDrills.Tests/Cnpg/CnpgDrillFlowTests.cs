namespace RestoreDrills.Tests.Cnpg;

/// <summary>
/// The whole CNPG drill against the double, one per target: preflight → on-demand Backup (pending → running →
/// completed) → restored Cluster with that target → ready → app secret → port-forward to the primary, whose
/// PostgreSQL is a real restored server (<see cref="ScriptedRestoredServer"/>) → verified → deleted, its PVCs
/// following through their owner references.
/// </summary>
[Category("Containers")]
public sealed class CnpgDrillFlowTests : CnpgDoubleTest
{
    private const string BackupId = "20261125T211502";
    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [TestCaseSource(typeof(CnpgFixtureValues), nameof(CnpgFixtureValues.TargetKinds))]
    public async Task The_drill_creates_watches_and_deletes_for_the_target(RecoveryTargetKind kind)
    {
        var backupEnd = new DateTimeOffset(2026, 11, 25, 21, 15, 10, TimeSpan.Zero);
        Double.BackupStatuses = [DoubleStatuses.Backup("pending"), DoubleStatuses.Backup("running"), DoubleStatuses.CompletedBackup(BackupId, backupEnd)];
        Double.Restore = RestoreScript.BecomesReady(await ScriptedRestoredServer.GetAsync()) with { PersistentVolumeClaims = 1 };

        var drill = Drill();
        var outcome = await drill.RunAsync(backup => kind == RecoveryTargetKind.Name
            ? RecoveryTarget.Name("restoredrills-nightly", backup.BackupId!)
            : CnpgTargets.For(kind, backup), CancellationToken.None);

        Assert.That(outcome.Passed, Is.True, string.Join("; ", outcome.Checks));
        Assert.That(outcome.BackupId, Is.EqualTo(BackupId));
        var recoveryTarget = LastCreatedClusterRecoveryTarget();
        var expected = kind switch
        {
            RecoveryTargetKind.Time => """{"targetTime":"2026-11-25T21:15:12.000000+00:00"}""",
            RecoveryTargetKind.Lsn => """{"targetLSN":"0/5000000"}""", // the segment after the backup's last: CNPG wants endLSN < target
            RecoveryTargetKind.Name => $$"""{"targetName":"restoredrills-nightly","backupID":"{{BackupId}}"}""",
            RecoveryTargetKind.Immediate => $$"""{"targetImmediate":true,"backupID":"{{BackupId}}"}""",
            _ => "null",
        };
        Assert.That(recoveryTarget, Is.EqualTo(expected));
        Assert.Multiple(() =>
        {
            Assert.That(Double.Find(CnpgResources.Clusters, outcome.Restored!.Name), Is.Null, "the restored cluster is deleted");
            Assert.That(Double.PersistentVolumeClaims($"cnpg.io/cluster={outcome.Restored!.Name}"), Is.Zero, "its PVCs are gone (owner references)");
            Assert.That(Double.Unexpected, Is.Empty);
            Assert.That(outcome.Restored!.Database, Is.EqualTo("app"));
            Assert.That(outcome.Checks.Select(c => c.Name), Has.Some.EqualTo(RestoreDrills.Verification.VerificationReport.PhysicalCheck).And.Some.EqualTo("the runbook's canonical rows are in backup_test"), "the restored data was read");
            Assert.That(Double.Requests, Has.Some.Contains($"/pods/{outcome.Restored!.Name}-1/portforward?ports=5432 (websocket)"));
            Assert.That(Order(), Is.EqualTo(new[] { "GET cluster pg-prod", "POST backups", "POST clusters", $"DELETE cluster {outcome.Restored!.Name}" }));
        });
    }

    [Test]
    public async Task The_restored_cluster_reads_the_sources_path_under_its_own_unique_name_and_never_archives()
    {
        Double.BackupStatuses = [DoubleStatuses.CompletedBackup(BackupId, Now)];
        Double.Restore = RestoreScript.BecomesReady(await ScriptedRestoredServer.GetAsync());
        var first = await Drill().RunAsync(b => CnpgTargets.For(RecoveryTargetKind.Latest, b), CancellationToken.None);
        var second = await Drill().RunAsync(b => CnpgTargets.For(RecoveryTargetKind.Latest, b), CancellationToken.None);
        Assert.That(first.Restored!.Name, Is.Not.EqualTo(second.Restored!.Name).And.Not.EqualTo(CnpgFixtureValues.SourceCluster));
        var manifest = LastManifest();
        Assert.Multiple(() =>
        {
            Assert.That(manifest, Does.Contain("\"serverName\": \"pg-prod\"").And.Contain("\"destinationPath\": \"https://prodbackups.blob.core.windows.net/cnpg\""));
            Assert.That(manifest, Does.Not.Contain("\"backup\":").And.Not.Contain("isWALArchiver"));
            Assert.That(manifest, Does.Contain($"\"restoredrills.io/run\": \"{RunId}\""));
            Assert.That(manifest, Does.Contain("\"cnpg.io/skipWalArchiving\": \"enabled\""), "without it CNPG runs archive_mode = on");
            Assert.That(first.Checks.Single(c => c.Name.StartsWith("the restored server does not archive", StringComparison.Ordinal)).Detail, Is.EqualTo("archive_mode = off"));
        });
    }

    [Test]
    public async Task Through_the_Barman_Cloud_Plugin_the_backup_is_method_plugin_and_the_restore_reads_the_ObjectStore()
    {
        Double.BackupStatuses = [DoubleStatuses.Backup("running"), DoubleStatuses.CompletedBackup(BackupId, Now)];
        Double.Restore = RestoreScript.BecomesReady(await ScriptedRestoredServer.GetAsync());
        var outcome = await Drill(Settings with { Method = BackupMethod.Plugin, ObjectStore = "pg-prod-store" })
            .RunAsync(b => CnpgTargets.For(RecoveryTargetKind.Immediate, b), CancellationToken.None);
        Assert.That(outcome.Passed, Is.True);
        var manifest = JsonNode.Parse(LastManifest())!;
        var external = manifest["spec"]!["externalClusters"]![0]!;
        Assert.Multiple(() =>
        {
            Assert.That(external["barmanObjectStore"], Is.Null);
            Assert.That(external["plugin"]!["name"]!.GetValue<string>(), Is.EqualTo("barman-cloud.cloudnative-pg.io"));
            Assert.That(external["plugin"]!["parameters"]!.ToJsonString(), Is.EqualTo("""{"barmanObjectName":"pg-prod-store","serverName":"pg-prod"}"""));
            Assert.That(Double.All(CnpgResources.Backups).Count(b => b["spec"]!["method"]!.GetValue<string>() == "plugin"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Secrets_never_appear_in_the_manifests_or_anything_attached_to_the_report()
    {
        // The storage credentials a real secret would hold, and the app password the double hands out: both known to the masker.
        var accountKey = SecretMasker.Register(Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + "Kx==");
        var connectionString = SecretMasker.Register($"DefaultEndpointsProtocol=https;AccountName=prodbackups;AccountKey={accountKey};EndpointSuffix=core.windows.net");
        Double.BackupStatuses = [DoubleStatuses.CompletedBackup(BackupId, Now)];
        Double.Restore = RestoreScript.BecomesReady(await ScriptedRestoredServer.GetAsync());
        var password = Double.Restore.Password;

        foreach (var credentials in Enum.GetValues<AzureCredentialsKind>())
            await Drill(Settings with { Credentials = credentials }).RunAsync(b => CnpgTargets.For(RecoveryTargetKind.Latest, b), CancellationToken.None);

        var report = AllReportText();
        Assert.Multiple(() =>
        {
            Assert.That(report, Does.Contain("\"azureCredentials\""), "the manifests were attached");
            Assert.That(SecretMasker.Apply($"x {password} y"), Is.EqualTo($"x {SecretMasker.Mask} y"), "the app password is registered as a secret when read");
            Assert.That(report, Does.Contain("\"key\": \"AZURE_CONNECTION_STRING\"").And.Contain("\"key\": \"AZURE_STORAGE_KEY\"").And.Contain("\"key\": \"AZURE_STORAGE_SAS_TOKEN\""));
            Assert.That(report, Does.Contain($"\"name\": \"{CnpgFixtureValues.CredentialsSecret}\""), "only the secret's name and key are referenced");
            Assert.That(report, Does.Not.Contain(accountKey).And.Not.Contain(connectionString).And.Not.Contain(password));
            Assert.That(Progress.ToString(), Does.Match(@"application user app@rd-latest-[a-z0-9-]+-rw:5432/app"), "the secret's host is the -rw service");
        });
    }

    [Test]
    public async Task The_sweep_removes_only_labelled_restored_clusters_of_other_runs_older_than_the_leftover_age()
    {
        JsonObject Restored(string name, string run) =>
            Platforms.Cnpg.Manifests.CnpgManifests.RestoredCluster(CnpgFixtureValues.Restore(RecoveryTarget.Latest(), BackupMethod.BarmanObjectStore) with { ClusterName = name, RunId = run });
        Double.Seed(CnpgResources.Clusters, Restored("rd-killed", "old-run"), Now.AddHours(-3));
        Double.AddPersistentVolumeClaim("rd-killed-1", "rd-killed");
        Double.Seed(CnpgResources.Clusters, Restored("rd-other-live-run", "other-run"), Now.AddMinutes(-5));
        Double.Seed(CnpgResources.Clusters, Restored("rd-this-run", RunId), Now.AddHours(-3));

        var swept = await CnpgCleanup.SweepLeftoversAsync(Api, RunId, TimeSpan.FromHours(2), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(50), Now, CancellationToken.None);

        Assert.That(swept, Is.EqualTo(new[] { "rd-killed" }));
        Assert.That(Double.All(CnpgResources.Clusters).Select(c => c["metadata"]!["name"]!.GetValue<string>()),
            Is.EquivalentTo(new[] { "pg-prod", "rd-other-live-run", "rd-this-run" }), "the source (unlabelled) and live runs stay");
        Assert.That(Double.PersistentVolumeClaims("cnpg.io/cluster=rd-killed"), Is.Zero);
    }

    /// <summary>The order of the calls that change or judge things (polls left out).</summary>
    private IReadOnlyList<string> Order() => Double.Requests
        .Select(r => r.Split(' ') is [var method, var path] ? (method, path) : (method: "", path: ""))
        .Select(r => r.method switch
        {
            "POST" => $"POST {r.path.Split('/').Last()}",
            "DELETE" when r.path.Contains("/clusters/", StringComparison.Ordinal) => $"DELETE cluster {r.path.Split('/').Last()}",
            "GET" when r.path.EndsWith("/clusters/pg-prod", StringComparison.Ordinal) => "GET cluster pg-prod",
            _ => "",
        })
        .Where(r => r.Length > 0).Distinct().ToList();

    private string LastCreatedClusterRecoveryTarget()
    {
        var manifest = JsonNode.Parse(LastManifest())!;
        return manifest["spec"]!["bootstrap"]!["recovery"]!["recoveryTarget"]?.ToJsonString(Relaxed) ?? "null";
    }

    private string LastManifest() =>
        Directory.EnumerateFiles(ResultsDirectory, "*-attachment.json").Select(File.ReadAllText)
            .Last(t => t.Contains("\"kind\": \"Cluster\"", StringComparison.Ordinal));
}
