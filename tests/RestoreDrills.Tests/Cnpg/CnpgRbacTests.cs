namespace RestoreDrills.Tests.Cnpg;

/// <summary>
/// The Role the drills ship (fixtures/cnpg/rbac/role.yaml), enforced by the double as the API server's RBAC
/// authorizer would: a grant taken away is one line naming the verb and resource; the Role grants exactly what the
/// drills use.
/// </summary>
public sealed class CnpgRbacTests : CnpgDoubleTest
{
    private static BackupStatus Backup => CompletedBackup("pg-prod-nightly-20261125010000", DateTimeOffset.UtcNow);

    [Test]
    public void A_Role_without_create_on_clusters_is_one_line_naming_the_verb_resource_and_group()
    {
        Double.Grants = RoleRules.Shipped().Without(CnpgResources.Group, "clusters", "create");
        var error = Assert.ThrowsAsync<CnpgSetupException>(() => Drill().RestoreAsync(Backup, RecoveryTarget.Latest(), CancellationToken.None));
        Assert.That(error!.Message, Is.EqualTo("forbidden: the drill's Kubernetes identity may not 'create' resource 'clusters' (API group postgresql.cnpg.io) " +
                                               "in namespace drills: bind it the Role in fixtures/cnpg/rbac/role.yaml"));
    }

    [Test]
    public void A_Role_without_the_port_forward_grant_is_one_line_though_the_WebSocket_upgrade_only_says_403()
    {
        Double.Grants = RoleRules.Shipped().Without("", "pods/portforward", "create");
        Double.Restore = RestoreScript.BecomesReady();
        var drill = Drill();
        var error = Assert.ThrowsAsync<CnpgSetupException>(() => drill.RestoreAsync(Backup, RecoveryTarget.Latest(), CancellationToken.None));
        Assert.That(error!.Message, Is.EqualTo("forbidden: the drill's Kubernetes identity may not 'create' resource 'pods/portforward' " +
                                               "in namespace drills: bind it the Role in fixtures/cnpg/rbac/role.yaml"));
        Assert.That(Double.Find(CnpgResources.Clusters, drill.RestoredClusterName!), Is.Null, "the restored cluster is deleted all the same");
    }

    [Test]
    public void A_Role_without_list_on_jobs_is_one_line_naming_the_verb_resource_and_group()
    {
        Double.Grants = RoleRules.Shipped().Without("batch", "jobs", "list");
        Double.Restore = RestoreScript.NeverReady();
        var error = Assert.ThrowsAsync<CnpgSetupException>(() => Drill().RestoreAsync(Backup, RecoveryTarget.Latest(), CancellationToken.None));
        Assert.That(error!.Message, Is.EqualTo("forbidden: the drill's Kubernetes identity may not 'list' resource 'jobs' (API group batch) " +
                                               "in namespace drills: bind it the Role in fixtures/cnpg/rbac/role.yaml"));
    }

    /// <summary>Failed before: a restored cluster the drill could not delete was a console warning while the drill stayed green and the report silent.</summary>
    [Test]
    [Category("Containers")]
    public async Task A_restored_cluster_the_drill_cannot_delete_is_a_finding_in_the_report_and_fails_a_run_that_requires_a_cluster()
    {
        Double.Grants = RoleRules.Shipped().Without(CnpgResources.Group, "clusters", "delete");
        Double.Restore = RestoreScript.BecomesReady(await ScriptedRestoredServer.GetAsync());

        var outcome = await Drill().RestoreAsync(Backup, RecoveryTarget.Latest(), CancellationToken.None);
        Assert.That(outcome.Passed, Is.True, "the restore itself verified: the leftover is no verdict on the backup");
        var finding = Journal.Steps.SelectMany(s => s.Steps.Prepend(s)).Single(s => s.Name.StartsWith("the restored cluster and its PVCs are deleted", StringComparison.Ordinal));
        Assert.That(finding.Status, Is.EqualTo(RestoreDrills.Reporting.Allure.AllureStatus.Broken));
        Assert.That(finding.Name, Does.Contain($"restored cluster {outcome.Restored!.Name} could not be deleted: ").And.Contain("forbidden"));

        var required = Assert.ThrowsAsync<CnpgSetupException>(() => Drill(Settings with { RequireCluster = true }).RestoreAsync(Backup, RecoveryTarget.Latest(), CancellationToken.None));
        Assert.That(required!.Message, Does.Contain("could not be deleted").And.EndWith("(RESTOREDRILLS_REQUIRE_CLUSTER=true: a cluster the drill leaves behind fails the run)"));
    }

    [Test]
    [Category("Containers")]
    public async Task The_shipped_Role_grants_every_call_the_drills_make_and_nothing_they_do_not()
    {
        // Every path that calls the API: the sweep, a restore whose recovery Job fails (the Job is listed, its attempts' logs read), a whole drill.
        await CnpgCleanup.SweepLeftoversAsync(Api, RunId, TimeSpan.FromHours(2), TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(50), Now, CancellationToken.None);
        Double.Restore = RestoreScript.EveryAttemptFails(DoubleStatuses.RecoveryLogExpectedEmptyArchive);
        Assert.ThrowsAsync<RestoreDrills.Failures.DrillFailure>(() => Drill().RestoreAsync(Backup, RecoveryTarget.Latest(), CancellationToken.None));
        Double.Restore = RestoreScript.BecomesReady(await ScriptedRestoredServer.GetAsync());
        Double.BackupStatuses = [DoubleStatuses.Backup("running"), DoubleStatuses.CompletedBackup("20261125T211502", Now)];
        var outcome = await Drill().RunAsync(b => CnpgTargets.For(RecoveryTargetKind.Latest, b), CancellationToken.None);
        Assert.That(outcome.Passed, Is.True, string.Join("; ", outcome.Checks));
        await Drill(Settings with { TakeBackup = false }).BackUpAsync(CancellationToken.None);
        // A throwaway source's switchover (ThrowawaySourceCluster.SwitchOverAsync) writes status.targetPrimary; the double
        // switches over only the sources it runs (CnpgThrowawaySourceDrills), so here the call is authorized, then refused.
        Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => Api.PatchStatusAsync(CnpgResources.Clusters, CnpgFixtureValues.SourceCluster,
            new JsonObject { ["status"] = new JsonObject { ["targetPrimary"] = $"{CnpgFixtureValues.SourceCluster}-2" } }, CancellationToken.None));

        Assert.That(Double.UsedGrants.Select(Describe), Is.EquivalentTo(RoleRules.Shipped().Grants.Select(Describe)),
            "the Role's rules are exactly the calls the drills made");
    }

    private static string Describe((string Group, string Resource, string Verb) g) => $"{g.Verb} {g.Resource}{(g.Group.Length > 0 ? "." + g.Group : "")}";
}
