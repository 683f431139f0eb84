using System.Diagnostics;
using Npgsql;
using RestoreDrills.Failures;
using RestoreDrills.Platforms.Cnpg.Manifests;
using RestoreDrills.Reporting;

namespace RestoreDrills.Platforms.Cnpg.ThrowawaySource;

/// <summary>
/// A drill's own source Cluster on CloudNative-PG while it exists: the runbook's source made a throwaway
/// (fixtures/cnpg/source, merged with throwaway.yaml), archiving under a serverName of its own, waited for until it is
/// ready and archiving, reached as the superuser in the data's database (a port-forward to its primary, or its service
/// from inside the cluster), and always deleted with its PVCs, also after a failure or a cancellation.
/// </summary>
public sealed class ThrowawaySourceCluster : IAsyncDisposable
{
    private readonly RestoredCnpgCluster _cluster; // created, waited for and deleted as any cluster the drill makes
    private readonly PodPortForward? _forward;
    private readonly CnpgConnection _superuser;

    private ThrowawaySourceCluster(RestoredCnpgCluster cluster, PodPortForward? forward, CnpgConnection superuser, CnpgSettings settings)
    {
        (_cluster, _forward, _superuser, Settings) = (cluster, forward, superuser, settings);
    }

    public string Name => _cluster.Name;

    /// <summary>The drill's settings pointed at this source: its name and serverName, a backup taken on demand.</summary>
    public CnpgSettings Settings { get; }

    public static async Task<ThrowawaySourceCluster> CreateAsync(CnpgApi api, CnpgSettings settings, CrdSchemas schemas, string name, string runId,
        RestoreImage image, DrillJournal journal, CancellationToken ct)
    {
        var source = settings with { SourceCluster = name, SourceServerName = name, TakeBackup = true };
        var manifest = SourceManifests.ThrowawayCluster(settings.Method, settings.Credentials, new Dictionary<string, string>
        {
            ["SOURCE_CLUSTER"] = name, ["NAMESPACE"] = api.Namespace, ["RUN_ID"] = runId,
            ["POSTGRES_IMAGE"] = image.Name ?? "", ["STORAGE_SIZE"] = settings.StorageSize,
            ["DESTINATION_PATH"] = settings.DestinationPath, ["SOURCE_SERVER_NAME"] = source.SourceServerName,
            ["CREDENTIALS_SECRET"] = settings.CredentialsSecret, ["OBJECT_STORE_NAME"] = settings.ObjectStore,
            ["DATABASE"] = settings.Database, ["OWNER"] = settings.EffectiveOwner,
        });
        image.ApplyTo(manifest["spec"]!.AsObject());
        schemas.Validate(manifest, $"throwaway source cluster {name}");
        journal.Attach("throwaway source cluster manifest", manifest.ToJsonString(Json.Indented), "application/json", "json");

        var cluster = await RestoredCnpgCluster.CreateAsync(api, settings, manifest, journal.Progress, ct);
        PodPortForward? forward = null;
        try
        {
            TimeSpan readyAfter;
            try
            {
                readyAfter = await cluster.WaitReadyAsync(ct);
            }
            catch (DrillFailure failure)
            {
                // No backup is judged yet: a source that does not come up is the staging cluster's problem, not a verdict.
                throw new CnpgSetupException($"the throwaway source did not come up: {failure.Message}");
            }
            await WaitArchivingAsync(api, source, ct);
            var superuser = (await cluster.SuperuserConnectionAsync(ct)) with { Database = settings.Database };
            if (settings.ConnectVia == CnpgConnectVia.PortForward)
            {
                forward = await PodPortForward.OpenAsync(api, await cluster.PrimaryPodAsync(ct), CnpgResources.PostgresPort, journal.Progress, ct);
                superuser = superuser.Via(forward.LocalEndpoint);
            }
            journal.Progress($"throwaway source {name} ready after {readyAfter.TotalSeconds:0.0} s, archiving under serverName {source.SourceServerName}; superuser {superuser}");
            return new ThrowawaySourceCluster(cluster, forward, superuser, source);
        }
        catch
        {
            if (forward is not null) await forward.DisposeAsync();
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The superuser in the data's database: seeds, sets targets, and is the side the restore is compared with.</summary>
    public Task<NpgsqlConnection> OpenAsync(CancellationToken ct) => _superuser.OpenAsync(ct);

    /// <summary>A Backup before the first WAL is archived ends walArchivingFailing: wait for ContinuousArchiving, bounded.</summary>
    private static Task WaitArchivingAsync(CnpgApi api, CnpgSettings source, CancellationToken ct) =>
        new Poll($"the throwaway source {source.SourceCluster} archiving", source.ArchiveTimeout, Configuration.SettingsTable.TimeoutCnpgArchive.Name, source.PollInterval)
            .UntilAsync<bool>(async (_, token) =>
            {
                var cluster = await api.GetAsync(CnpgResources.Clusters, source.SourceCluster, token)
                              ?? throw new CnpgSetupException($"the throwaway source {source.SourceCluster} disappeared while the drill waited for it to archive");
                var archiving = CnpgPreflight.ContinuousArchiving(cluster);
                return archiving.Passed ? Poll.Answer<bool>.Of(true) : Poll.Answer<bool>.NotYet(archiving.Result.Detail);
            }, detail => new DrillFailure(FailureCause.WalArchivingFailed,
                $"the throwaway source {source.SourceCluster} does not archive after {source.ArchiveTimeout.TotalSeconds:0} s (RESTOREDRILLS_TIMEOUT_CNPG_ARCHIVE_SECONDS): {detail}"), ct);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_forward is not null) await _forward.DisposeAsync();
        }
        finally
        {
            await _cluster.DisposeAsync();
        }
    }
}
