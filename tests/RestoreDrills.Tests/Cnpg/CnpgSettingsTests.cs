namespace RestoreDrills.Tests.Cnpg;

public sealed class CnpgSettingsTests
{
    internal static CnpgSettings Read(Dictionary<string, string> run, Dictionary<string, string>? env = null) =>
        CnpgSettings.Read(new SettingsReader(n => run.GetValueOrDefault(n), n => env?.GetValueOrDefault(n)));

    [Test]
    public void The_environment_wins_and_the_server_name_defaults_to_the_source_cluster()
    {
        var s = Read(new() { ["RESTOREDRILLS_CNPG_SOURCE_CLUSTER"] = "pg-a", ["RESTOREDRILLS_TIMEOUT_CNPG_BACKUP_SECONDS"] = "30" },
            new() { ["RESTOREDRILLS_CNPG_SOURCE_CLUSTER"] = "pg-prod", ["RESTOREDRILLS_CNPG_BACKUP_METHOD"] = "plugin" });
        Assert.Multiple(() =>
        {
            Assert.That(s.SourceCluster, Is.EqualTo("pg-prod"));
            Assert.That(s.SourceServerName, Is.EqualTo("pg-prod"));
            Assert.That(s.Method, Is.EqualTo(BackupMethod.Plugin));
            Assert.That(s.BackupTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(s.MissingForLiveMode(), Is.EqualTo(new[] { "RESTOREDRILLS_CNPG_OBJECT_STORE" }));
        });
    }

    [Test]
    public void The_restore_goes_into_app_owned_by_app_through_a_port_forward_with_the_sources_image_unless_set()
    {
        var defaults = Read(new());
        var runbook = Read(new() { ["RESTOREDRILLS_CNPG_DATABASE"] = "linkding", ["RESTOREDRILLS_CNPG_CONNECT"] = "service",
                                   ["RESTOREDRILLS_CNPG_POSTGRES_IMAGE"] = "ghcr.io/cloudnative-pg/postgresql:16.1" });
        var owned = Read(new() { ["RESTOREDRILLS_CNPG_DATABASE"] = "linkding", ["RESTOREDRILLS_CNPG_OWNER"] = "linkding_owner" });
        Assert.Multiple(() =>
        {
            Assert.That((defaults.Database, defaults.EffectiveOwner, defaults.ConnectVia, defaults.PostgresImage), Is.EqualTo(("app", "app", CnpgConnectVia.PortForward, "")));
            Assert.That((runbook.Database, runbook.EffectiveOwner, runbook.ConnectVia, runbook.PostgresImage),
                Is.EqualTo(("linkding", "linkding", CnpgConnectVia.Service, "ghcr.io/cloudnative-pg/postgresql:16.1")), "the owner defaults to the database, as CNPG defaults it");
            Assert.That(owned.EffectiveOwner, Is.EqualTo("linkding_owner"));
            Assert.That(defaults.Expectations.CanonicalRows, Has.Count.EqualTo(5), "the runbook's five rows are expected unless told otherwise");
        });
    }

    [Test]
    public void The_CRD_directory_is_shared_cnpg_crds_beside_the_repository_unless_set_and_a_relative_one_is_the_repositorys()
    {
        Assert.That(Read(new()).CrdDirectory, Is.EqualTo(Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "cnpg-crds"))));
        Assert.That(Read(new() { ["RESTOREDRILLS_CNPG_CRD_DIR"] = "/opt/cnpg/crds" }).CrdDirectory, Is.EqualTo("/opt/cnpg/crds"));
        Assert.That(Read(new() { ["RESTOREDRILLS_CNPG_CRD_DIR"] = "crds/1.30" }).CrdDirectory, Is.EqualTo(Path.Combine(RepositoryPaths.Root, "crds", "1.30")));
    }

    [TestCase("RESTOREDRILLS_CNPG_CONNECT", "tunnel", "RESTOREDRILLS_CNPG_CONNECT='tunnel' is not one of port-forward, service")]
    [TestCase("RESTOREDRILLS_CNPG_AZURE_CREDENTIALS", "sas", "RESTOREDRILLS_CNPG_AZURE_CREDENTIALS='sas' is not one of connection-string, storage-key, sas-token")]
    [TestCase("RESTOREDRILLS_REQUIRE_CLUSTER", "maybe", "RESTOREDRILLS_REQUIRE_CLUSTER='maybe' is not true or false")]
    [TestCase("RESTOREDRILLS_CNPG_POLL_SECONDS", "0", "RESTOREDRILLS_CNPG_POLL_SECONDS='0' is not a positive number of seconds")]
    public void A_malformed_setting_stops_the_run_naming_it(string name, string value, string message)
    {
        var error = Assert.Throws<InvalidSettingException>(() => Read(new() { [name] = value }));
        Assert.That(error!.Message, Does.StartWith(message));
    }

    [Test]
    public void Without_a_kubeconfig_or_a_pod_there_is_no_cluster_and_the_reason_says_what_to_set()
    {
        Assume.That(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"), Is.Null.Or.Empty, "running inside a pod");
        Assert.That(KubernetesAccess.Detect(new CnpgSettings(), out var why), Is.Null);
        Assert.That(why, Is.EqualTo("no cluster: set RESTOREDRILLS_KUBECONFIG or KUBECONFIG, or run inside a pod"));
        Assert.That(KubernetesAccess.Detect(new CnpgSettings { Kubeconfig = "/nonexistent/kubeconfig" }, out why), Is.Null);
        Assert.That(why, Is.EqualTo("the kubeconfig /nonexistent/kubeconfig does not exist"));
    }
}
