using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;
using RestoreDrills.Failures;
using RestoreDrills.Platforms.Cnpg.Manifests;
using RestoreDrills.Reporting;

namespace RestoreDrills.Platforms.Cnpg.ThrowawaySource;

/// <summary>
/// A drill's own source Cluster on CloudNative-PG while it exists: the runbook's source made a throwaway
/// (fixtures/cnpg/source, merged with throwaway.yaml), archiving under a serverName of its own, waited for until it is
/// ready and archiving, reached as the superuser in the data's database (a port-forward to its primary, or its service
/// from inside the cluster), and always deleted with its PVCs, also after a failure or a cancellation. With a replica
/// it can switch over as `kubectl cnpg promote` makes one (<see cref="SwitchOverAsync"/>).
/// </summary>
public sealed class ThrowawaySourceCluster : IAsyncDisposable
{
    private readonly RestoredCnpgCluster _cluster; // created, waited for and deleted as any cluster the drill makes
    private readonly CnpgApi _api;
    private readonly DrillJournal _journal;
    private readonly CnpgConnection _superuserViaService;

    // The primary's port-forward and the superuser through it: a switchover moves both to the new primary.
    private PodPortForward? _forward;
    private CnpgConnection _superuser;

    private ThrowawaySourceCluster(RestoredCnpgCluster cluster, CnpgApi api, DrillJournal journal, PodPortForward? forward,
        CnpgConnection superuserViaService, CnpgConnection superuser, CnpgSettings settings)
    {
        (_cluster, _api, _journal, _forward, _superuserViaService, _superuser, Settings) = (cluster, api, journal, forward, superuserViaService, superuser, settings);
    }

    public string Name => _cluster.Name;

    /// <summary>The drill's settings pointed at this source: its name and serverName, a backup taken on demand.</summary>
    public CnpgSettings Settings { get; }

    /// <param name="instances">1, or 2 for a source that switches over (a primary and a replica to promote)</param>
    public static async Task<ThrowawaySourceCluster> CreateAsync(CnpgApi api, CnpgSettings settings, CrdSchemas schemas, string name, string runId,
        RestoreImage image, int instances, DrillJournal journal, CancellationToken ct)
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
        manifest["spec"]!["instances"] = instances;
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
            var viaService = (await cluster.SuperuserConnectionAsync(ct)) with { Database = settings.Database };
            var superuser = viaService;
            if (settings.ConnectVia == CnpgConnectVia.PortForward)
            {
                forward = await PodPortForward.OpenAsync(api, await cluster.PrimaryPodAsync(ct), CnpgResources.PostgresPort, journal.Progress, ct);
                superuser = superuser.Via(forward.LocalEndpoint);
            }
            journal.Progress($"throwaway source {name} ready after {readyAfter.TotalSeconds:0.0} s, archiving under serverName {source.SourceServerName}; superuser {superuser}");
            return new ThrowawaySourceCluster(cluster, api, journal, forward, viaService, superuser, source);
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

    /// <summary>
    /// A switchover as `kubectl cnpg promote` asks for one (cloudnative-pg internal/cmd/plugin/promote): status.targetPrimary
    /// set to a replica through the status subresource, then the operator's own work awaited: status.currentPrimary is
    /// the replica and the phase healthy again. The superuser connection then goes to the new primary. Returns the
    /// promoted pod and the timeline the operator reports (status.timelineID).
    /// </summary>
    public async Task<(string Primary, long Timeline)> SwitchOverAsync(CancellationToken ct)
    {
        var cluster = await _api.GetAsync(CnpgResources.Clusters, Name, ct) ?? throw new CnpgSetupException($"the throwaway source {Name} disappeared before its switchover");
        var current = cluster["status"]?["currentPrimary"]?.GetValue<string>();
        var replica = (cluster["status"]?["instanceNames"] as JsonArray ?? []).Select(n => n?.GetValue<string>()).FirstOrDefault(n => n is not null && n != current)
                      ?? throw new CnpgSetupException($"the throwaway source {Name} has no replica to promote (status.instanceNames: {cluster["status"]?["instanceNames"]?.ToJsonString() ?? "none"})");
        await _api.PatchStatusAsync(CnpgResources.Clusters, Name, new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["targetPrimary"] = replica,
                ["targetPrimaryTimestamp"] = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                ["phase"] = CnpgResources.SwitchoverPhase,
                ["phaseReason"] = $"Switching over to {replica}",
            },
        }, ct);
        var timeline = await new Poll($"the throwaway source {Name} switched over to {replica}", Settings.ClusterReadyTimeout,
                Configuration.SettingsTable.TimeoutCnpgClusterReady.Name, Settings.PollInterval)
            .UntilAsync(async (_, token) =>
            {
                var now = await _api.GetAsync(CnpgResources.Clusters, Name, token) ?? throw new CnpgSetupException($"the throwaway source {Name} disappeared during its switchover");
                var (primary, phase) = (now["status"]?["currentPrimary"]?.GetValue<string>(), now["status"]?["phase"]?.GetValue<string>());
                return primary == replica && phase == CnpgResources.HealthyPhase
                    ? Poll.Answer<long>.Of(now["status"]?["timelineID"]?.GetValue<long>() ?? 0)
                    : Poll.Answer<long>.NotYet($"currentPrimary {primary ?? "none"}, phase \"{phase}\"");
            }, seen => new CnpgSetupException($"the throwaway source {Name} did not switch over to {replica} within {Settings.ClusterReadyTimeout.TotalSeconds:0} s: {seen}"), ct);
        if (_forward is not null)
        {
            await _forward.DisposeAsync();
            _forward = await PodPortForward.OpenAsync(_api, replica, CnpgResources.PostgresPort, _journal.Progress, ct);
            _superuser = _superuserViaService.Via(_forward.LocalEndpoint);
        }
        return (replica, timeline);
    }

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
