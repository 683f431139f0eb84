namespace RestoreDrills.Tests.Cnpg.Double;

/// <summary>
/// Base of the tests that drive the CNPG platform through the unmodified KubernetesClient against the double:
/// a fresh double per test, seeded with the runbook's healthy source (its nightly ScheduledBackup ran last night,
/// a completed backup), named timeouts (short in the tests of a timeout, so failures are fast), and a journal writing into a temporary folder.
/// </summary>
public abstract class CnpgDoubleTest
{
    protected static Lazy<CrdSchemas> Schemas => CnpgCrds.Loaded;
    protected const string RunId = "1125210000-abc123";

    protected KubernetesApiDouble Double { get; private set; } = null!;
    protected CnpgApi Api { get; private set; } = null!;
    protected DrillJournal Journal { get; private set; } = null!;
    protected string ResultsDirectory { get; private set; } = null!;
    protected StringWriter Progress { get; private set; } = null!;
    protected static DateTimeOffset Now => DateTimeOffset.UtcNow;

    protected static CnpgSettings Settings { get; } = new()
    {
        Namespace = CnpgFixtureValues.Namespace,
        SourceCluster = CnpgFixtureValues.SourceCluster,
        ScheduledBackup = "pg-prod-nightly",
        SourceServerName = CnpgFixtureValues.SourceCluster,
        DestinationPath = CnpgFixtureValues.DestinationPath,
        CredentialsSecret = CnpgFixtureValues.CredentialsSecret,
        // Generous for the paths that succeed (a loaded machine must not fail them); the failure tests set short ones.
        BackupTimeout = TimeSpan.FromSeconds(20),
        ClusterReadyTimeout = TimeSpan.FromSeconds(20),
        AppSecretTimeout = TimeSpan.FromSeconds(20),
        DeleteTimeout = TimeSpan.FromSeconds(3),
        ArchiveTimeout = TimeSpan.FromSeconds(3),
        PollInterval = TimeSpan.FromMilliseconds(50),
    };

    [SetUp]
    public void StartDouble()
    {
        Double = KubernetesApiDouble.Start(CnpgFixtureValues.Namespace, Schemas.Value);
        Api = CnpgApi.Connect(Double.Configuration, CnpgFixtureValues.Namespace);
        ResultsDirectory = Path.Combine(Path.GetTempPath(), "restoredrills-cnpg-" + Guid.NewGuid().ToString("N")[..8]);
        Progress = new StringWriter();
        Journal = new DrillJournal(new AllureResultsWriter(ResultsDirectory), Progress, TestContext.CurrentContext.Test.Name);
        SeedHealthySource();
    }

    [TearDown]
    public void StopDouble()
    {
        // A failed test shows the drill's progress lines: what it did before it failed.
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
            TestContext.Out.WriteLine($"drill progress:\n{Progress}");
        Api.Dispose();
        Double.Dispose();
        Progress.Dispose();
        if (Directory.Exists(ResultsDirectory)) Directory.Delete(ResultsDirectory, recursive: true);
    }

    protected CnpgDrill Drill(CnpgSettings? settings = null) => new(Api, settings ?? Settings, Schemas.Value, Journal, RunId);

    /// <summary>The runbook's source as its fixtures describe it, with the status a healthy production cluster has.</summary>
    protected void SeedHealthySource(JsonObject? clusterStatus = null, DateTimeOffset? lastScheduled = null, DateTimeOffset? lastBackupEnd = null)
    {
        var manifests = SourceManifests.Render(BackupMethod.BarmanObjectStore, AzureCredentialsKind.ConnectionString, CnpgFixtureValues.Source);
        var cluster = manifests.Single(m => m["kind"]!.GetValue<string>() == "Cluster");
        cluster["status"] = clusterStatus ?? DoubleStatuses.Healthy(archiving: true);
        cluster["status"]!["readyInstances"] = 3;
        // Archiving goes on past last night's backup (a production source commits): time and LSN targets are drillable.
        cluster["status"]!["lastArchivedWAL"] ??= ScriptedRestoredServer.ArchivedUpTo;
        cluster["status"]!["lastArchivedWALTime"] ??= Iso(Now);
        Double.Seed(CnpgResources.Clusters, cluster);

        var scheduled = manifests.Single(m => m["kind"]!.GetValue<string>() == "ScheduledBackup");
        scheduled["status"] = new JsonObject { ["lastScheduleTime"] = Iso(lastScheduled ?? LastOneUtc(Now)) };
        Double.Seed(CnpgResources.ScheduledBackups, scheduled);

        var backup = CnpgManifests.Backup("pg-prod-nightly-20261125010000", CnpgFixtureValues.Namespace, "nightly", CnpgFixtureValues.SourceCluster, BackupMethod.BarmanObjectStore);
        backup["metadata"]!.AsObject().Remove("labels");
        backup["status"] = DoubleStatuses.CompletedBackup("20261125T010002", lastBackupEnd ?? LastOneUtc(Now).AddMinutes(1));
        Double.Seed(CnpgResources.Backups, backup);
    }

    protected static DateTimeOffset LastOneUtc(DateTimeOffset now)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date.AddHours(1), TimeSpan.Zero);
        return today <= now ? today : today.AddDays(-1);
    }

    /// <summary>A completed backup of the runbook's source as the drill reads it from its Backup CR (DoubleStatuses.CompletedBackup).</summary>
    protected static BackupStatus CompletedBackup(string name, DateTimeOffset stoppedAt) => BackupStatus.From(new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = name },
        ["status"] = DoubleStatuses.CompletedBackup("20261125T010002", stoppedAt),
    });

    protected static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    /// <summary>Every file the journal wrote (attachments), as text.</summary>
    protected string AllReportText() =>
        string.Join('\n', Directory.EnumerateFiles(ResultsDirectory).Select(File.ReadAllText)) + Progress;
}
