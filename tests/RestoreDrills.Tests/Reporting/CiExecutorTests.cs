namespace RestoreDrills.Tests.Reporting;

/// <summary>executor.json: which CI system ran the drills, its build and link, and the name a pipeline gives its run.</summary>
public sealed class CiExecutorTests
{
    private static readonly Dictionary<string, string> GitHub = new()
    {
        ["GITHUB_ACTIONS"] = "true", ["GITHUB_SERVER_URL"] = "https://github.com", ["GITHUB_REPOSITORY"] = "acme/db",
        ["GITHUB_RUN_ID"] = "987", ["GITHUB_RUN_NUMBER"] = "42", ["GITHUB_WORKFLOW"] = "restoredrills-nightly-drill",
    };

    private static readonly Dictionary<string, string> Azure = new()
    {
        ["TF_BUILD"] = "True", ["SYSTEM_COLLECTIONURI"] = "https://dev.azure.com/acme/", ["SYSTEM_TEAMPROJECT"] = "db",
        ["BUILD_BUILDID"] = "314", ["BUILD_DEFINITIONNAME"] = "nightly", ["BUILD_BUILDNUMBER"] = "20261204.1",
    };

    private static Dictionary<string, string> With(Dictionary<string, string> env, string name) =>
        new(env) { ["RESTOREDRILLS_EXECUTOR_NAME"] = name };

    /// <summary>Failed before: the pipelines set RESTOREDRILLS_EXECUTOR_NAME, and on GitHub and Azure it was ignored.</summary>
    [Test]
    public void The_pipelines_executor_name_is_honoured_on_github_and_azure()
    {
        var github = CiExecutor.Detect(n => With(GitHub, "nightly drill (GitHub Actions)").GetValueOrDefault(n), "r1");
        var azure = CiExecutor.Detect(n => With(Azure, "nightly drill (Azure Pipelines)").GetValueOrDefault(n), "r1");
        Assert.Multiple(() =>
        {
            Assert.That(github.Name, Is.EqualTo("nightly drill (GitHub Actions)"));
            Assert.That(github.Type, Is.EqualTo("github"));
            Assert.That(github.BuildUrl, Is.EqualTo("https://github.com/acme/db/actions/runs/987"));
            Assert.That(azure.Name, Is.EqualTo("nightly drill (Azure Pipelines)"));
            Assert.That(azure.BuildUrl, Is.EqualTo("https://dev.azure.com/acme/db/_build/results?buildId=314"));
        });
    }

    [Test]
    public void Without_a_name_the_system_names_itself()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CiExecutor.Detect(n => GitHub.GetValueOrDefault(n), "r1").Name, Is.EqualTo("GitHub Actions"));
            Assert.That(CiExecutor.Detect(n => Azure.GetValueOrDefault(n), "r1").Name, Is.EqualTo("Azure Pipelines"));
            Assert.That(CiExecutor.Detect(n => n == "CI" ? "true" : null, "r1").Name, Is.EqualTo("CI"));
        });
    }
}
