using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;
using RestoreDrills.Configuration;
using RestoreDrills.Platforms.Cnpg;
using RestoreDrills.Platforms.Cnpg.Manifests;
using RestoreDrills.Platforms.Containers;
using RestoreDrills.Seeding;

namespace RestoreDrills.KubernetesDouble;

/// <summary>
/// The runbook's production cluster, served by the double for the nightly CNPG drills to run against through a
/// kubeconfig: the source Cluster pg-prod is a real PostgreSQL on the containers platform (backup_test with the five
/// canonical rows, owned by app, archiving to Azurite with barman-cloud, committing steadily), last night's
/// ScheduledBackup run and its completed Backup taken for real; the source Clusters, Backups and restored Clusters the
/// drills create are performed for real (<see cref="ContainersOperator"/>).
/// </summary>
public sealed class StandaloneCluster : IAsyncDisposable
{
    public const string Namespace = "drills";
    public const string SourceCluster = "pg-prod";
    public const string ScheduledBackup = "pg-prod-nightly";
    public const string CredentialsSecret = "azure-backup-credentials";
    public const string DestinationPath = "https://prodbackups.blob.core.windows.net/cnpg";

    private readonly CancellationTokenSource _stop = new();
    private ContainersPlatform? _platform;
    private SourceInstance? _source;
    private Task _traffic = Task.CompletedTask;

    private StandaloneCluster(string runId) => RunId = runId;

    public string RunId { get; }
    public KubernetesApiDouble Double { get; private set; } = null!;
    public string ServerName { get; private set; } = "";

    public static async Task<StandaloneCluster> StartAsync(string resultsDirectory, Action<string> progress, CancellationToken ct)
    {
        var cluster = new StandaloneCluster("k" + DateTime.UtcNow.ToString("MMddHHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6]);
        try
        {
            await cluster.StartCoreAsync(resultsDirectory, progress, ct);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(string resultsDirectory, Action<string> progress, CancellationToken ct)
    {
        // No InterruptCleanup here: SIGTERM/SIGINT stop the program gracefully (Program.cs), which disposes all below.
        ContainerEnvironment.ApplyDefaults();
        var settings = DrillSettings.Read(new SettingsReader(_ => null), resultsDirectory);
        progress("starting the containers platform (network, Azurite)");
        _platform = await ContainersPlatform.StartAsync(settings, RunId, ct);
        ServerName = _platform.NewServerName(SourceCluster);
        progress($"starting the source {SourceCluster} (barman serverName {ServerName})");
        _source = await _platform.StartSourceAsync(ServerName, ct);
        int major;
        await using (var db = await _source.OpenAsync(ct))
        {
            await BackupTestSeed.ApplyAsync(db, settings.SeedRandomSeed, settings.SeedRowCount, ct);
            await ApplicationOwnership.GiveToAsync(db, "app", "backup_test");
            await using var version = new NpgsqlCommand("SHOW server_version_num", db);
            major = int.Parse((string)(await version.ExecuteScalarAsync(ct))!, CultureInfo.InvariantCulture) / 10000;
        }
        progress("taking last night's backup (barman-cloud-backup)");
        var nightly = (await _source.BackUpAsync(ContainersOperator.BackupTimeout, ct)).Backup;

        Double = KubernetesApiDouble.Start(Namespace, CrdSchemas.Load(CnpgSettings.ReadCrdDirectory(new SettingsReader(_ => null))));
        var @operator = new ContainersOperator(_platform);
        @operator.Adopt(SourceCluster, _source);
        Double.SourcePerformer = manifest => @operator.StartSourceAsync(manifest, _stop.Token);
        Double.BackupPerformer = backup => @operator.BackUpAsync(backup, _stop.Token);
        Double.RestorePerformer = manifest => @operator.RestoreAsync(manifest, _stop.Token);
        Double.SwitchoverPerformer = cluster => @operator.SwitchOverAsync(cluster, _stop.Token);
        SeedSource(major, nightly);

        PostgresEndpoint server;
        await using (var db = await _source.OpenAsync(ct))
            server = new PostgresEndpoint(db.Host!, db.Port, SourceInstance.Superuser, _source.Password);
        _traffic = Task.WhenAll(
                new ProductionTraffic(server.ConnectionString(SourceInstance.Database)).RunAsync(_stop.Token),
                ArchiverReport.RunAsync(server, (wal, at) => Double.ReportArchived(SourceCluster, wal, at), _stop.Token))
            .ContinueWith(t => { if (t.IsFaulted) progress($"production traffic stopped: {t.Exception!.GetBaseException().Message}"); }, TaskScheduler.Default);
    }

    /// <summary>The source as the runbook's fixtures describe it, healthy and archiving, its schedule run last night.</summary>
    private void SeedSource(int major, Backups.BaseBackup nightly)
    {
        var variables = new Dictionary<string, string>
        {
            ["SOURCE_CLUSTER"] = SourceCluster, ["NAMESPACE"] = Namespace,
            ["POSTGRES_IMAGE"] = $"ghcr.io/cloudnative-pg/postgresql:{major}", // the major the source really runs
            ["STORAGE_SIZE"] = "10Gi", ["DESTINATION_PATH"] = DestinationPath, ["SOURCE_SERVER_NAME"] = ServerName,
            ["CREDENTIALS_SECRET"] = CredentialsSecret, ["SCHEDULED_BACKUP"] = ScheduledBackup, ["OBJECT_STORE_NAME"] = "pg-prod-store",
        };
        var manifests = SourceManifests.Render(BackupMethod.BarmanObjectStore, AzureCredentialsKind.ConnectionString, variables);
        var cluster = manifests.Single(m => m["kind"]!.GetValue<string>() == "Cluster");
        cluster["status"] = DoubleStatuses.Healthy(archiving: true);
        cluster["status"]!["readyInstances"] = cluster["spec"]!["instances"]!.DeepClone();
        Double.Seed(CnpgResources.Clusters, cluster);

        var scheduled = manifests.Single(m => m["kind"]!.GetValue<string>() == "ScheduledBackup");
        var now = DateTimeOffset.UtcNow;
        var lastOne = new DateTimeOffset(now.UtcDateTime.Date.AddHours(1), TimeSpan.Zero);
        if (lastOne > now) lastOne = lastOne.AddDays(-1);
        scheduled["status"] = new JsonObject { ["lastScheduleTime"] = lastOne.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) };
        Double.Seed(CnpgResources.ScheduledBackups, scheduled);

        var backup = CnpgManifests.Backup($"{ScheduledBackup}-{lastOne:yyyyMMddHHmmss}", Namespace, "nightly", SourceCluster, BackupMethod.BarmanObjectStore);
        backup["metadata"]!.AsObject().Remove("labels");
        backup["status"] = ContainersOperator.Completed(nightly, ServerName);
        Double.Seed(CnpgResources.Backups, backup);
    }

    /// <summary>A kubeconfig pointing at the double (plain HTTP on 127.0.0.1), and the settings the live drills need.</summary>
    public async Task WriteAccessAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, $$"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: restoredrills-double
                cluster: {server: "{{Double.Url}}"}
            users:
              - name: restoredrills
                user: {token: "double-{{Guid.NewGuid():N}}"}
            contexts:
              - name: restoredrills-double
                context: {cluster: restoredrills-double, user: restoredrills, namespace: {{Namespace}}}
            current-context: restoredrills-double
            """);
        var settings = new Dictionary<string, string>
        {
            ["RESTOREDRILLS_KUBECONFIG"] = kubeconfig,
            ["RESTOREDRILLS_REQUIRE_CLUSTER"] = "true",
            ["RESTOREDRILLS_CNPG_NAMESPACE"] = Namespace,
            ["RESTOREDRILLS_CNPG_SOURCE_CLUSTER"] = SourceCluster,
            ["RESTOREDRILLS_CNPG_SCHEDULED_BACKUP"] = ScheduledBackup,
            ["RESTOREDRILLS_CNPG_SOURCE_SERVER_NAME"] = ServerName,
            ["RESTOREDRILLS_CNPG_DESTINATION_PATH"] = DestinationPath,
            ["RESTOREDRILLS_CNPG_AZURE_SECRET"] = CredentialsSecret,
            ["RESTOREDRILLS_CNPG_POLL_SECONDS"] = "1",
            ["RESTOREDRILLS_TIMEOUT_CNPG_ARCHIVE_SECONDS"] = "120",
            // The source commits steadily: a time or LSN drill left not drillable would be a fault, not a quiet night.
            ["RESTOREDRILLS_CNPG_REQUIRE_DRILLABLE"] = "true",
        };
        await File.WriteAllLinesAsync(Path.Combine(directory, "drills.env"), settings.Select(s => $"export {s.Key}='{s.Value}'"));
    }

    /// <summary>Each step runs whatever the one before did: a failure here must not leave containers behind.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _traffic;
            Double?.Dispose(); // also disposes the restored servers it still holds
        }
        finally
        {
            try
            {
                if (_source is not null) await _source.DisposeAsync();
            }
            finally
            {
                try
                {
                    if (_platform is not null) await _platform.DisposeAsync();
                }
                finally
                {
                    await ResourceSweeper.SweepRunAsync(RunId);
                    _stop.Dispose();
                }
            }
        }
    }
}
