using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using RestoreDrills.Backups;
using RestoreDrills.Platforms.Containers;
using RestoreDrills.RecoveryTargets;

namespace RestoreDrills.KubernetesDouble;

/// <summary>
/// What CloudNative-PG does for the double's Clusters and Backups, done for real on the containers platform: a Cluster
/// bootstrapped by initdb is a source (PostgreSQL archiving with barman-cloud to Azurite under the Cluster's serverName);
/// a Backup runs barman-cloud-backup on its Cluster's source; a Cluster bootstrapped by recovery is restored from the
/// path of the source whose serverName it reads, as CNPG restores it (the backup chosen by CNPG's rules for the
/// manifest's recoveryTarget, barman-cloud-restore, WAL replay until promoted).
/// </summary>
public sealed class ContainersOperator(ContainersPlatform platform)
{
    public static readonly TimeSpan BackupTimeout = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan SwitchoverTimeout = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, SourceInstance> _sources = new(); // by Cluster name

    /// <summary>For fault tests: an operator that reads the recoveryTarget wrong (e.g. replays past it).</summary>
    public Func<RecoveryTarget, RecoveryTarget> ReadTarget { get; init; } = target => target;

    /// <summary>For fault tests: done to the store of the source a Cluster restores from, before the restore (e.g. a history file lost).</summary>
    public Func<ObjectStore.ObjectStoreLocation, CancellationToken, Task>? BeforeRestore { get; init; }

    /// <summary>For fault tests: done to the restored server before the Cluster is handed over (e.g. a row lost).</summary>
    public Func<PostgresEndpoint, CancellationToken, Task>? AfterRestore { get; init; }

    /// <summary>A source started elsewhere, served as the Cluster of that name (the standalone double's production cluster).</summary>
    public void Adopt(string cluster, SourceInstance source) => _sources[cluster] = source;

    /// <summary>
    /// A new Cluster bootstrapped by initdb: a source archiving under its serverName (spec.backup.barmanObjectStore, or
    /// the Barman Cloud Plugin's parameters; else the Cluster's name, as CNPG defaults it), in the major its image names.
    /// As CNPG, it refuses a path that already holds WAL ("Expected empty archive").
    /// </summary>
    public async Task<PerformedRestore> StartSourceAsync(JsonObject cluster, CancellationToken ct)
    {
        var name = cluster["metadata"]!["name"]!.GetValue<string>();
        var spec = cluster["spec"]!;
        var plugin = (spec["plugins"] as JsonArray ?? []).FirstOrDefault(p => p?["isWALArchiver"]?.GetValue<bool>() == true);
        var serverName = (spec["backup"]?["barmanObjectStore"] ?? plugin?["parameters"])?["serverName"]?.GetValue<string>() ?? name;
        var source = await platform.StartSourceAsync(serverName, ct);
        try
        {
            await using var db = await source.OpenAsync(ct);
            await using (var version = new Npgsql.NpgsqlCommand("SHOW server_version_num", db))
            {
                var runs = int.Parse((string)(await version.ExecuteScalarAsync(ct))!, CultureInfo.InvariantCulture) / 10000;
                if (spec["imageName"]?.GetValue<string>() is { } image && MajorOf(image) is { } wanted && wanted != runs)
                    throw new InvalidOperationException($"the double runs PostgreSQL {runs}; the Cluster's image {image} is {wanted}");
            }
            _sources[name] = source;
            return new PerformedRestore(new PostgresEndpoint(db.Host!, db.Port, SourceInstance.Superuser, source.Password), "", new SourceLifetime(_sources, name, source));
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A switchover of a Cluster's source as CNPG's operator makes one for status.targetPrimary: a standby joins, the
    /// primary stops, the standby is promoted (<see cref="SourceInstance.SwitchOverAsync"/>). The promoted server and its timeline.
    /// </summary>
    public async Task<(PostgresEndpoint Server, int Timeline)> SwitchOverAsync(string cluster, CancellationToken ct)
    {
        if (!_sources.TryGetValue(cluster, out var source)) throw new InvalidOperationException($"Unknown cluster {cluster}");
        var change = await source.SwitchOverAsync(SwitchoverTimeout, ct);
        await using var db = await source.OpenAsync(ct);
        return (new PostgresEndpoint(db.Host!, db.Port, SourceInstance.Superuser, source.Password), change.ToTimeline);
    }

    /// <summary>The backup the Backup CR asked for, of its Cluster's source; its completed status as CNPG writes it.</summary>
    public async Task<JsonObject> BackUpAsync(JsonObject backup, CancellationToken ct)
    {
        var cluster = backup["spec"]?["cluster"]?["name"]?.GetValue<string>() ?? "";
        if (!_sources.TryGetValue(cluster, out var source)) throw new InvalidOperationException($"Unknown cluster {cluster}");
        return Completed((await source.BackUpAsync(BackupTimeout, ct)).Backup, source.Store.ServerName);
    }

    public async Task<PerformedRestore> RestoreAsync(JsonObject cluster, CancellationToken ct)
    {
        var external = cluster["spec"]!["externalClusters"]![0]!;
        var readsFrom = (external["barmanObjectStore"] ?? external["plugin"]?["parameters"])?["serverName"]?.GetValue<string>();
        var source = _sources.Values.FirstOrDefault(s => s.Store.ServerName == readsFrom)
                     ?? throw new InvalidOperationException($"the Cluster reads serverName {readsFrom}, which no source archives to");
        if (BeforeRestore is { } damage) await damage(source.Store, ct);
        var target = ReadTarget(TargetOf(cluster["spec"]!["bootstrap"]!["recovery"]!["recoveryTarget"]));
        var chosen = BackupSelector.Select(BaseBackup.ParseListing(await source.ListBackupsAsync(ct)), target);
        var restored = await platform.CreateRestoredAsync(source, ct);
        try
        {
            await RefuseAnotherMajorAsync(cluster, restored, ct);
            await restored.DownloadBaseBackupAsync(chosen.BackupId, RestoreTimeout, ct);
            // The instance manager fetches wal.maxParallel WAL files at once (in-tree; the plugin reads its ObjectStore's).
            var maxParallel = external["barmanObjectStore"]?["wal"]?["maxParallel"]?.GetValue<int>() ?? 1;
            await restored.ConfigureRecoveryAsync(target, ct, maxParallel);
            await restored.RecoverAsync(RestoreTimeout, ct);
            var log = await restored.RecoveryLogAsync(ct);
            await using var connection = await restored.OpenAsync(ct);
            var server = new PostgresEndpoint(connection.Host!, connection.Port, SourceInstance.Superuser, source.Password);
            if (AfterRestore is { } fault) await fault(server, ct);
            return new PerformedRestore(server, log, restored);
        }
        catch
        {
            await restored.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The restored Cluster's spec.imageName must run the major version that wrote the backup, as PostgreSQL itself
    /// refuses another major's data directory. (Here every restore runs the platform's image; the tag is what is judged.)
    /// </summary>
    private static async Task RefuseAnotherMajorAsync(JsonObject cluster, RestoredInstance restored, CancellationToken ct)
    {
        if (cluster["spec"]?["imageName"]?.GetValue<string>() is not { } image || MajorOf(image) is not { } wanted) return;
        var wrote = await restored.PostgresMajorAsync(ct);
        if (wanted != wrote)
            throw new InvalidOperationException(
                $"FATAL:  database files are incompatible with server\nDETAIL:  The data directory was initialized by PostgreSQL version {wrote}, " +
                $"which is not compatible with this version {wanted} (image {image}).");
    }

    /// <summary>The major version in an image tag such as ghcr.io/cloudnative-pg/postgresql:16.1 or :17-bookworm.</summary>
    public static int? MajorOf(string image)
    {
        var tag = image.Contains(':', StringComparison.Ordinal) ? image[(image.LastIndexOf(':') + 1)..] : "";
        var digits = new string(tag.TakeWhile(char.IsAsciiDigit).ToArray());
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : null;
    }

    /// <summary>bootstrap.recovery.recoveryTarget back into the drill's own terms.</summary>
    public static RecoveryTarget TargetOf(JsonNode? t)
    {
        string? S(string field) => t?[field]?.GetValue<string>();
        if (t is null) return RecoveryTarget.Latest();
        if (S("targetTime") is { } time) return RecoveryTarget.Time(DateTimeOffset.Parse(time, CultureInfo.InvariantCulture));
        if (S("targetLSN") is { } lsn) return RecoveryTarget.Lsn(lsn);
        if (S("targetXID") is { } xid) return RecoveryTarget.Xid(long.Parse(xid, CultureInfo.InvariantCulture), S("backupID")!);
        if (S("targetName") is { } name) return RecoveryTarget.Name(name, S("backupID")!);
        if (t["targetImmediate"]?.GetValue<bool>() == true) return RecoveryTarget.Immediate(S("backupID")!);
        throw new InvalidOperationException($"unknown recoveryTarget {t.ToJsonString()}");
    }

    /// <summary>A completed Backup's status, as CNPG writes it from barman-cloud's backup.info.</summary>
    public static JsonObject Completed(BaseBackup b, string serverName) => new()
    {
        ["phase"] = "completed",
        ["backupId"] = b.BackupId,
        ["beginWal"] = b.BeginWal,
        ["endWal"] = b.EndWal,
        ["endLSN"] = b.EndLsn,
        ["serverName"] = serverName,
        ["startedAt"] = b.BeginTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["stoppedAt"] = b.EndTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
    };

    /// <summary>Deleting a source Cluster stops its server; its archive stays in the store, as a real one's does.</summary>
    private sealed class SourceLifetime(ConcurrentDictionary<string, SourceInstance> sources, string cluster, SourceInstance source) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            sources.TryRemove(new KeyValuePair<string, SourceInstance>(cluster, source));
            return source.DisposeAsync();
        }
    }
}
