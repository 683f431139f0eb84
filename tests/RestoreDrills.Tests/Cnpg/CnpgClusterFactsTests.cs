namespace RestoreDrills.Tests.Cnpg;

public sealed class CnpgClusterFactsTests
{
    [Test]
    public void The_cluster_its_image_and_the_operator_build_go_into_the_environment()
    {
        var cluster = JsonNode.Parse("""
            {"metadata": {"name": "pg-facts"}, "spec": {"imageName": "ghcr.io/cloudnative-pg/postgresql:16.1"},
             "status": {"image": "ghcr.io/cloudnative-pg/postgresql:16.2", "cloudNativePGCommitHash": "a1b2c3d"}}
            """)!.AsObject();
        CnpgClusterFacts.Record(cluster, "drills");
        Assert.Multiple(() =>
        {
            Assert.That(RunFacts.All["cnpg.cluster"], Is.EqualTo("drills/pg-facts"));
            Assert.That(RunFacts.All["cnpg.cluster.image"], Is.EqualTo("ghcr.io/cloudnative-pg/postgresql:16.2"), "what runs, as the operator reports it");
            Assert.That(RunFacts.All["cnpg.operator.commit"], Is.EqualTo("a1b2c3d"));
        });
    }
}
