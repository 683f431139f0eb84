using System.Globalization;
using System.Text.Json.Nodes;
using RestoreDrills.Backups;
using RestoreDrills.Platforms.Containers;
using RestoreDrills.RecoveryTargets;

namespace RestoreDrills.KubernetesDouble;

/// <summary>
/// What CloudNative-PG does for the double's Backups and Clusters, done for real on the containers platform: a
/// Backup runs barman-cloud-backup on the source (archiving to Azurite); a Cluster is restored from the source's
/// path as CNPG restores it (its serverName must be the source's, the backup chosen by CNPG's rules for the
/// manifest's recoveryTarget, barman-cloud-restore, WAL replay until promoted).
/// </summary>
public sealed class ContainersOperator(ContainersPlatform platform, SourceInstance source, string serverName)
{
    public static readonly TimeSpan BackupTimeout = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The backup the Backup CR asked for; its completed status as CNPG writes it.</summary>
    public async Task<JsonObject> BackUpAsync(JsonObject backup, CancellationToken ct) =>
        Completed((await source.BackUpAsync(BackupTimeout, ct)).Backup, serverName);

    public async Task<PerformedRestore> RestoreAsync(JsonObject cluster, CancellationToken ct)
    {
        var external = cluster["spec"]!["externalClusters"]![0]!;
        var readsFrom = (external["barmanObjectStore"] ?? external["plugin"]?["parameters"])?["serverName"]?.GetValue<string>();
        if (readsFrom != serverName)
            throw new InvalidOperationException($"the Cluster reads serverName {readsFrom}, not the source's {serverName}");
        var target = TargetOf(cluster["spec"]!["bootstrap"]!["recovery"]!["recoveryTarget"]);
        var chosen = BackupSelector.Select(BaseBackup.ParseListing(await source.ListBackupsAsync(ct)), target);
        var restored = await platform.CreateRestoredAsync(source, ct);
        try
        {
            await RefuseAnotherMajorAsync(cluster, restored, ct);
            await restored.DownloadBaseBackupAsync(chosen.BackupId, RestoreTimeout, ct);
            await restored.ConfigureRecoveryAsync(target, ct);
            await restored.RecoverAsync(RestoreTimeout, ct);
            var log = await restored.RecoveryLogAsync(ct);
            await using var connection = await restored.OpenAsync(ct);
            return new PerformedRestore(new PostgresEndpoint(connection.Host!, connection.Port, SourceInstance.Superuser, source.Password), log, restored);
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
}
