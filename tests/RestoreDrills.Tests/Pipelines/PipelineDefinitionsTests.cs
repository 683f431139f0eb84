using Cronos;
using YamlDotNet.RepresentationModel;

namespace RestoreDrills.Tests.Pipelines;

/// <summary>
/// The pipelines in pipelines/ are valid YAML of their system's shape, and do nothing but set up .NET, carry the
/// report history, run one of the project's two scripts and publish what they produce.
/// </summary>
public sealed class PipelineDefinitionsTests
{
    private static readonly string[] ProjectScripts = ["./scripts/drill", "./scripts/drill --with-existing-store", "./scripts/drill --upgrade", "./scripts/test"];
    private static readonly string[] GitHubActions = ["actions/checkout", "actions/setup-dotnet", "actions/cache", "actions/upload-artifact"];
    private static readonly string[] AzureTasks = ["UseDotNet@2", "DownloadPipelineArtifact@2", "PublishPipelineArtifact@1"];

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
            Assert.That(File.ReadAllText(Path.Combine(PipelinesDirectory, "azure-devops", "nightly-drill.yml")), Does.Contain("targetPath: artifacts/history"));
            foreach (var system in new[] { "github", "azure-devops" })
                Assert.That(File.ReadAllText(Path.Combine(PipelinesDirectory, system, "nightly-drill.yml")),
                    Does.Contain("./scripts/drill --with-existing-store").And.Contain("RESTOREDRILLS_STORE_SAS_TOKEN")
                        .And.Contain("RESTOREDRILLS_KUBECONFIG_DATA").And.Contain("RESTOREDRILLS_REQUIRE_CLUSTER: \"true\""),
                    $"{system}: the nightly drills the production store and the production cluster");
        });
    }

    private static IEnumerable<YamlMappingNode> Steps(YamlMappingNode pipeline) =>
        pipeline.AllNodes.OfType<YamlMappingNode>().Where(n => Child(n, "steps") is YamlSequenceNode)
            .SelectMany(n => ((YamlSequenceNode)Child(n, "steps")!).Children.OfType<YamlMappingNode>());

    /// <summary>
    /// Failed before: Azure's Cache@2 saves only when the job succeeds, so a failed night lost the report history (and
    /// with it the trend) exactly when it mattered.
    /// </summary>
    [Test]
    public void The_report_history_is_kept_after_a_failed_night_too()
    {
        var github = Steps(Load("github", "nightly-drill.yml")).ToList();
        var azure = Steps(Load("azure-devops", "nightly-drill.yml")).ToList();
        var githubSave = github.Single(s => Scalar(Child(s, "uses")).StartsWith("actions/cache/save@", StringComparison.Ordinal));
        var azureKeep = azure.Single(s => Scalar(Child(s, "task")) == "PublishPipelineArtifact@1" && Scalar(Child(Child(s, "inputs")!, "targetPath")) == "artifacts/history");
        var azureBack = azure.Single(s => Scalar(Child(s, "task")) == "DownloadPipelineArtifact@2");
        Assert.Multiple(() =>
        {
            Assert.That(Scalar(Child(githubSave, "if")), Is.EqualTo("always()"));
            Assert.That(azure.Select(s => Scalar(Child(s, "task"))), Has.None.EqualTo("Cache@2"), "Cache@2 saves only on success");
            Assert.That(Scalar(Child(azureKeep, "condition")), Is.EqualTo("always()"));
            Assert.That(Scalar(Child(azureKeep, "inputs")!["artifact"]), Is.EqualTo(Scalar(Child(azureBack, "inputs")!["artifactName"])));
            Assert.That(Scalar(Child(azureBack, "inputs")!["allowFailedBuilds"]), Is.EqualTo("true"), "last night's history, failed or not");
            Assert.That(Scalar(Child(azureBack, "continueOnError")), Is.EqualTo("true"), "the first night has none");
        });
    }

    /// <summary>The test session's own limit (nunit.runsettings TestSessionTimeout), in minutes.</summary>
    private static double TestSessionMinutes()
    {
        var settings = System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryPaths.Root, "nunit.runsettings"));
        return double.Parse(settings.Descendants("TestSessionTimeout").Single().Value, System.Globalization.CultureInfo.InvariantCulture) / 60_000;
    }

    /// <summary>Set-up before the tests (images, the runner-path check) and the report after them, on a fresh hosted machine.</summary>
    private const double SetUpAndReportMinutes = 20;

    /// <summary>
    /// Failed before: the Azure nightly and pull-request jobs had no timeout, so Azure's hosted default (60 min) applied:
    /// the test session alone may take 60. A job must outlast the session plus set-up; a step no job outlasts is cut.
    /// </summary>
    [TestCase("github"), TestCase("azure-devops")]
    public void Every_job_outlasts_the_test_session_and_its_steps_fit_in_it(string system)
    {
        var key = system == "github" ? "timeout-minutes" : "timeoutInMinutes";
        foreach (var file in system == "github" ? GitHubWorkflows() : AzurePipelines())
        {
            var pipeline = Load(system, file);
            var jobs = system == "github"
                ? ((YamlMappingNode)Child(pipeline, "jobs")!).Children.Values.OfType<YamlMappingNode>().ToList()
                : pipeline.AllNodes.OfType<YamlMappingNode>().Where(n => Child(n, "job") is not null).ToList();
            Assert.That(jobs, Is.Not.Empty, $"{file}: jobs with a timeout (top-level steps get the hosted default)");
            Assert.That(Child(pipeline, "steps"), Is.Null, $"{file}: steps outside a job run with the hosted default timeout");
            foreach (var job in jobs)
            {
                var minutes = double.Parse(Scalar(Child(job, key)), System.Globalization.CultureInfo.InvariantCulture);
                Assert.That(minutes, Is.GreaterThanOrEqualTo(TestSessionMinutes() + SetUpAndReportMinutes).And.LessThanOrEqualTo(90), $"{file}: {key}");
                foreach (var step in ((YamlSequenceNode)Child(job, "steps")!).Children)
                    if (Child(step, key) is { } stepTimeout)
                        Assert.That(double.Parse(Scalar(stepTimeout), System.Globalization.CultureInfo.InvariantCulture), Is.LessThanOrEqualTo(minutes), $"{file}: a step's {key}");
            }
        }
    }

    /// <summary>Failed before: the nightly asked GitHub for 400 days, more than it keeps for a public repository (90).</summary>
    [Test]
    public void Artifacts_are_kept_within_what_github_allows_every_repository()
    {
        foreach (var file in GitHubWorkflows())
            foreach (var step in Steps(Load("github", file)))
                if (Child(Child(step, "with") ?? new YamlMappingNode(), "retention-days") is { } days)
                    Assert.That(int.Parse(Scalar(days), System.Globalization.CultureInfo.InvariantCulture), Is.InRange(1, 90), $"{file}: retention-days");
    }

    /// <summary>Failed before: the pre-upgrade pipelines drilled only an image list defaulting to PostgreSQL 15.</summary>
    [Test]
    public void The_pre_upgrade_pipelines_drill_every_major_of_the_upgrade_matrix_and_the_barman_cloud_upgrades()
    {
        var github = Load("github", "pre-upgrade-drill.yml");
        var majors = Scalar(Child(Child(Child(Child(github, "on")!, "workflow_dispatch")!, "inputs")!, "postgres_majors")!["default"]);
        var azure = Load("azure-devops", "pre-upgrade-drill.yml");
        var azureMajors = ((YamlSequenceNode)((YamlSequenceNode)Child(azure, "parameters")!).Children.OfType<YamlMappingNode>()
            .Single(p => Scalar(Child(p, "name")) == "postgresMajors")["default"]).Children.Select(Scalar);
        Assert.Multiple(() =>
        {
            var projectMajors = ExistingStoreSettings.ProjectMajors.Select(m => m.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.That(System.Text.Json.JsonSerializer.Deserialize<string[]>(majors), Is.EqualTo(projectMajors));
            Assert.That(azureMajors, Is.EqualTo(projectMajors));
            foreach (var system in new[] { "github", "azure-devops" })
                Assert.That(File.ReadAllText(Path.Combine(PipelinesDirectory, system, "pre-upgrade-drill.yml")),
                    Does.Contain("RESTOREDRILLS_POSTGRES_MAJOR: ${{ ").And.Contain("./scripts/drill --upgrade"),
                    $"{system}: each job drills its major, and one the barman-cloud upgrades");
        });
    }
}
