using System.Globalization;
using System.Text.Json.Nodes;
using RestoreDrills.RecoveryTargets;

namespace RestoreDrills.Platforms.Cnpg.Manifests;

/// <summary>
/// The manifests a drill sends, each rendered from fixtures/cnpg: a template and the fragments the drill picks
/// (Azure credentials, recovery target). Names and values come from the drill; structure only from the fixtures.
/// </summary>
public static class CnpgManifests
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "restoredrills";
    public const string RunLabel = "restoredrills.io/run";

    public static JsonObject RestoredCluster(RestoreRequest request)
    {
        var variables = new Dictionary<string, string>
        {
            ["CLUSTER_NAME"] = request.ClusterName,
            ["NAMESPACE"] = request.Namespace,
            ["RUN_ID"] = request.RunId,
            ["POSTGRES_IMAGE"] = request.Image.Name ?? "",
            ["DATABASE"] = request.Database,
            ["OWNER"] = request.Owner,
            ["STORAGE_SIZE"] = request.StorageSize,
            ["EXTERNAL_CLUSTER"] = request.ExternalClusterName,
            ["SOURCE_SERVER_NAME"] = request.SourceServerName,
        };
        JsonObject cluster;
        if (request.Method == BackupMethod.Plugin)
        {
            variables["OBJECT_STORE_NAME"] = request.ObjectStore;
            cluster = ManifestTemplate.Load("restore/cluster-plugin.yaml").Render(variables);
        }
        else
        {
            variables["DESTINATION_PATH"] = request.DestinationPath;
            cluster = ManifestTemplate.Load("restore/cluster-barman-object-store.yaml").Render(variables);
            var store = cluster["spec"]!["externalClusters"]![0]!["barmanObjectStore"]!;
            store["azureCredentials"] = AzureCredentials(request.Credentials, request.CredentialsSecret);
            store["wal"] = new JsonObject { ["maxParallel"] = request.Wal.MaxParallel };
        }
        if (RecoveryTarget(request.Target) is { } target) cluster["spec"]!["bootstrap"]!["recovery"]!["recoveryTarget"] = target;
        request.Image.ApplyTo(cluster["spec"]!.AsObject());
        NeverArchives(cluster);
        return cluster;
    }

    /// <summary>recoveryTarget for the kind, from restore/recovery-target/&lt;kind&gt;.yaml; null for latest (no target).</summary>
    public static JsonObject? RecoveryTarget(RecoveryTarget target)
    {
        if (target.Kind == RecoveryTargetKind.Latest) return null;
        var needsBackup = target.Kind is RecoveryTargetKind.Xid or RecoveryTargetKind.Name or RecoveryTargetKind.Immediate;
        if (needsBackup && string.IsNullOrEmpty(target.BackupId))
            throw new ArgumentException($"CloudNative-PG needs backupID with a {target.Kind.Id()} target: give the backup to restore from");
        var variables = new Dictionary<string, string>
        {
            ["TARGET_VALUE"] = target.Kind == RecoveryTargetKind.Time ? TargetTime(target.Value) : target.Value,
        };
        if (target.BackupId is not null) variables["BACKUP_ID"] = target.BackupId;
        return ManifestTemplate.Load($"restore/recovery-target/{target.Kind.Id()}.yaml").Render(variables);
    }

    public static JsonObject AzureCredentials(AzureCredentialsKind kind, string secretName)
    {
        var file = kind switch
        {
            AzureCredentialsKind.ConnectionString => "connection-string",
            AzureCredentialsKind.StorageKey => "storage-key",
            AzureCredentialsKind.SasToken => "sas-token",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        return ManifestTemplate.Load($"azure-credentials/{file}.yaml").Render(new Dictionary<string, string> { ["CREDENTIALS_SECRET"] = secretName });
    }

    public static JsonObject Backup(string name, string @namespace, string runId, string sourceCluster, BackupMethod method) =>
        ManifestTemplate.Load(method == BackupMethod.Plugin ? "backup/backup-plugin.yaml" : "backup/backup-barman-object-store.yaml")
            .Render(new Dictionary<string, string>
            {
                ["BACKUP_NAME"] = name, ["NAMESPACE"] = @namespace, ["RUN_ID"] = runId, ["SOURCE_CLUSTER"] = sourceCluster,
            });

    /// <summary>
    /// CNPG's targetTime is RFC 3339; the drill's time targets are PostgreSQL timestamps with a zone
    /// ("2026-11-25 18:34:40.620239+00"). Written in UTC with an explicit offset, never zone-less.
    /// </summary>
    public static string TargetTime(string postgresTimestamp)
    {
        var value = postgresTimestamp.Trim();
        if (value.Length > 3 && (value[^3] is '+' or '-') && char.IsDigit(value[^1])) value += ":00"; // "+00" → "+00:00"
        var at = DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A restored cluster must never archive: with spec.backup or a WAL-archiver plugin it could write into the
    /// source's path (CNPG's "Expected empty archive" at best, a damaged archive at worst).
    /// </summary>
    public static void NeverArchives(JsonObject cluster)
    {
        if (Archives(cluster))
            throw new InvalidOperationException("a restored cluster must not have spec.backup or a WAL-archiver plugin: it would archive");
    }

    public static bool Archives(JsonObject cluster) =>
        cluster["spec"]?["backup"] is not null
        || (cluster["spec"]?["plugins"] is JsonArray plugins && plugins.Any(p => p?["isWALArchiver"]?.GetValue<bool>() == true));
}
