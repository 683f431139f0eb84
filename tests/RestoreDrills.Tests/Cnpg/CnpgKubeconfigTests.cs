namespace RestoreDrills.Tests.Cnpg;

/// <summary>Live mode's own path: a kubeconfig file, read by KubernetesClient, pointing at the double.</summary>
public sealed class CnpgKubeconfigTests : CnpgDoubleTest
{
    [Test]
    [Category("Containers")] // the drill reads the restored data through a port-forward: a real server behind it
    public async Task A_kubeconfig_pointing_at_a_cluster_drives_the_drill()
    {
        var kubeconfig = Path.Combine(ResultsDirectory, "kubeconfig");
        Directory.CreateDirectory(ResultsDirectory);
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: double
                cluster:
                  server: {Double.Url}
            users:
              - name: drills
                user:
                  token: not-a-real-token
            contexts:
              - name: double
                context: {"{"}cluster: double, user: drills, namespace: {CnpgFixtureValues.Namespace}{"}"}
            current-context: double
            """);
        var settings = Settings with { Kubeconfig = kubeconfig };
        var configuration = KubernetesAccess.Detect(settings, out var how);
        Assert.That(how, Is.EqualTo($"kubeconfig {kubeconfig}"));

        var outcome = await DrillThroughAsync(configuration!, settings);
        Assert.That(outcome.Passed, Is.True);
        Assert.That(outcome.Target.BackupId, Is.EqualTo("20261125T213000"));
    }

    [Test]
    [Category("Containers")] // the drill reads the restored data through a port-forward: a real server behind it
    public async Task A_kubeconfig_held_in_a_secret_drives_the_drill_without_a_file()
    {
        var data = $$"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: double
                cluster:
                  server: {{Double.Url}}
            users:
              - name: drills
                user:
                  token: secret-token-from-the-pipeline
            contexts:
              - name: double
                context: {cluster: double, user: drills, namespace: {{CnpgFixtureValues.Namespace}}}
            current-context: double
            """;
        var settings = CnpgSettingsTests.Read(new() { ["RESTOREDRILLS_KUBECONFIG_DATA"] = data, ["RESTOREDRILLS_KUBECONFIG"] = "/nonexistent/kubeconfig" });
        var configuration = KubernetesAccess.Detect(Settings with { KubeconfigData = settings.KubeconfigData }, out var how);
        Assert.That(how, Is.EqualTo("kubeconfig from RESTOREDRILLS_KUBECONFIG_DATA"));
        Assert.That(RestoreDrills.Secrets.SecretMasker.Apply(data), Does.Not.Contain("secret-token-from-the-pipeline"));

        var outcome = await DrillThroughAsync(configuration!, Settings);
        Assert.That(outcome.Passed, Is.True);
    }

    /// <summary>A drill to the immediate target of a completed backup, through the API the configuration reaches.</summary>
    private async Task<RestoreDrills.Drills.DrillOutcome> DrillThroughAsync(k8s.KubernetesClientConfiguration configuration, CnpgSettings settings)
    {
        Double.BackupStatuses = [DoubleStatuses.CompletedBackup("20261125T213000", Now)];
        Double.Restore = RestoreScript.BecomesReady(await ScriptedRestoredServer.GetAsync());
        using var api = CnpgApi.Connect(configuration, settings.Namespace);
        return await new CnpgDrill(api, settings, Schemas.Value, Journal, RunId)
            .RunAsync(b => CnpgTargets.For(RecoveryTargetKind.Immediate, b), CancellationToken.None);
    }

    [Test]
    public void Name_and_xid_targets_need_the_source_and_are_refused_for_production_drills()
    {
        var backup = new BackupStatus("b", "completed", null, "id", "0/1", "0/2", "w1", "w2", Now, Now, "pg-prod");
        Assert.Throws<NotSupportedException>(() => CnpgTargets.For(RecoveryTargetKind.Name, backup));
        Assert.Throws<NotSupportedException>(() => CnpgTargets.For(RecoveryTargetKind.Xid, backup));
    }
}
