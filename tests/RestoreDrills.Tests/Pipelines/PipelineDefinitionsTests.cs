using Cronos;
using NUnit.Framework;
using YamlDotNet.RepresentationModel;

namespace RestoreDrills.Tests.Pipelines;

/// <summary>
/// The pipelines in pipelines/ are valid YAML of their system's shape, and do nothing but set up .NET, carry the
/// report history, run one of the project's two scripts and publish what they produce.
/// </summary>
public sealed class PipelineDefinitionsTests
{
    private static readonly string[] ProjectScripts = ["./scripts/drill", "./scripts/drill --with-existing-store", "./scripts/test"];
    private static readonly string[] GitHubActions = ["actions/checkout", "actions/setup-dotnet", "actions/cache", "actions/upload-artifact"];
    private static readonly string[] AzureTasks = ["UseDotNet@2", "Cache@2", "PublishPipelineArtifact@1"];

    private static string PipelinesDirectory => Path.Combine(RepositoryPaths.Root, "pipelines");

    public static IEnumerable<string> GitHubWorkflows() =>
        Directory.GetFiles(Path.Combine(PipelinesDirectory, "github"), "*.yml").Select(Path.GetFileName)!;

    public static IEnumerable<string> AzurePipelines() =>
        Directory.GetFiles(Path.Combine(PipelinesDirectory, "azure-devops"), "*.yml").Select(Path.GetFileName)!;

    private static YamlMappingNode Load(string folder, string file)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(PipelinesDirectory, folder, file));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static YamlNode? Child(YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string Scalar(YamlNode? node) => (node as YamlScalarNode)?.Value ?? "";

    [Test]
    public void There_are_nightly_pre_upgrade_and_pull_request_pipelines_for_both_systems()
    {
        Assert.That(GitHubWorkflows(), Is.EquivalentTo(new[] { "nightly-drill.yml", "pre-upgrade-drill.yml", "pull-request.yml" }));
        Assert.That(AzurePipelines(), Is.EquivalentTo(new[] { "nightly-drill.yml", "pre-upgrade-drill.yml", "pull-request.yml" }));
    }

    [TestCaseSource(nameof(GitHubWorkflows))]
    public void A_github_workflow_runs_only_the_project_scripts_and_publishing_steps(string file)
    {
        var workflow = Load("github", file);
        Assert.That(Child(workflow, "on"), Is.Not.Null, "a workflow needs 'on'");
        var jobs = (YamlMappingNode)Child(workflow, "jobs")!;
        foreach (var (name, job) in jobs.Children)
        {
            Assert.That(Scalar(Child(job, "runs-on")), Is.Not.Empty, $"job {name}: runs-on");
            Assert.That(int.Parse(Scalar(Child(job, "timeout-minutes"))), Is.LessThanOrEqualTo(90), $"job {name}: timeout");
            foreach (var step in ((YamlSequenceNode)Child(job, "steps")!).Children)
            {
                if (Child(step, "run") is { } run) Assert.That(Scalar(run).Trim(), Is.AnyOf(ProjectScripts), $"{file}: run step");
                else Assert.That(GitHubActions.Any(a => Scalar(Child(step, "uses")).StartsWith(a + "@", StringComparison.Ordinal)
                                                       || Scalar(Child(step, "uses")).StartsWith(a + "/", StringComparison.Ordinal)), Is.True,
                    $"{file}: step uses {Scalar(Child(step, "uses"))}");
            }
        }
    }

    [TestCaseSource(nameof(AzurePipelines))]
    public void An_azure_pipeline_runs_only_the_project_scripts_and_publishing_tasks(string file)
    {
        var pipeline = Load("azure-devops", file);
        var steps = new List<YamlNode>();
        if (Child(pipeline, "steps") is YamlSequenceNode top) steps.AddRange(top.Children);
        foreach (var node in pipeline.AllNodes.OfType<YamlMappingNode>())
            if (Child(node, "job") is not null && Child(node, "steps") is YamlSequenceNode jobSteps) steps.AddRange(jobSteps.Children);
        Assert.That(steps, Is.Not.Empty, $"{file}: no steps found");
        foreach (var step in steps)
        {
            if (Child(step, "script") is { } script) Assert.That(Scalar(script).Trim(), Is.AnyOf(ProjectScripts), $"{file}: script step");
            else if (Child(step, "task") is { } task) Assert.That(Scalar(task), Is.AnyOf(AzureTasks), $"{file}: task");
            else Assert.That(Scalar(Child(step, "checkout")), Is.EqualTo("self"), $"{file}: unknown step kind");
        }
    }

    [Test]
    public void The_nightly_drills_run_after_the_daily_backup_and_carry_the_history_over()
    {
        var github = Load("github", "nightly-drill.yml");
        var azure = Load("azure-devops", "nightly-drill.yml");
        var crons = new[]
        {
            Scalar(Child(((YamlSequenceNode)Child(Child(github, "on")!, "schedule")!).Children[0], "cron")),
            Scalar(Child(((YamlSequenceNode)Child(azure, "schedules")!).Children[0], "cron")),
        };
        foreach (var cron in crons)
        {
            var next = CronExpression.Parse(cron).GetNextOccurrence(new DateTime(2026, 11, 25, 0, 0, 0, DateTimeKind.Utc))!.Value;
            Assert.That(next.Hour, Is.GreaterThan(1), $"'{cron}' must run after the 01:00 UTC ScheduledBackup");
            Assert.That(CronExpression.Parse(cron).GetNextOccurrence(next)!.Value - next, Is.EqualTo(TimeSpan.FromDays(1)), $"'{cron}' daily");
        }
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(Path.Combine(PipelinesDirectory, "github", "nightly-drill.yml")), Does.Contain("path: artifacts/history"));
            Assert.That(File.ReadAllText(Path.Combine(PipelinesDirectory, "azure-devops", "nightly-drill.yml")), Does.Contain("path: artifacts/history"));
            foreach (var system in new[] { "github", "azure-devops" })
                Assert.That(File.ReadAllText(Path.Combine(PipelinesDirectory, system, "nightly-drill.yml")),
                    Does.Contain("./scripts/drill --with-existing-store").And.Contain("RESTOREDRILLS_STORE_SAS_TOKEN")
                        .And.Contain("RESTOREDRILLS_KUBECONFIG_DATA").And.Contain("RESTOREDRILLS_REQUIRE_CLUSTER: \"true\""),
                    $"{system}: the nightly drills the production store and the production cluster");
        });
    }
}
