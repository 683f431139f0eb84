using System.Text.Json.Nodes;

namespace RestoreDrills.KubernetesDouble;

/// <summary>CloudNative-PG statuses as the operator writes them, for the double to report.</summary>
public static class DoubleStatuses
{
    public const string RecoveryLogReachedTarget =
        "{\"level\":\"info\",\"msg\":\"Restore completed\"}\nLOG:  recovery stopping before commit of transaction 772\nLOG:  archive recovery complete\n";

    public const string RecoveryLogExpectedEmptyArchive =
        "{\"level\":\"info\",\"msg\":\"Starting barman-cloud-restore\"}\n{\"level\":\"error\",\"msg\":\"ERROR: WAL archive check failed for server restore: Expected empty archive\"}\n";

    public const string RecoveryLogTargetNotReached =
        "LOG:  restored log file \"000000010000000000000006\" from archive\nFATAL:  recovery ended before configured recovery target was reached\n" +
        "FATAL:  the database system is in recovery mode\n"; // a probe's connection refused after the verdict

    public static JsonObject Backup(string phase, string? error = null) => new()
    {
        ["phase"] = phase,
        ["error"] = error,
    };

    public static JsonObject CompletedBackup(string backupId, DateTimeOffset stoppedAt, string destinationPath = "https://prodbackups.blob.core.windows.net/cnpg", string serverName = "pg-prod") => new()
    {
        ["phase"] = "completed",
        ["backupId"] = backupId,
        ["beginLSN"] = "0/4000028",
        ["endLSN"] = "0/4000138",
        ["beginWal"] = "000000010000000000000004",
        ["endWal"] = "000000010000000000000004",
        ["startedAt"] = stoppedAt.AddSeconds(-8).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        ["stoppedAt"] = stoppedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        ["destinationPath"] = destinationPath,
        ["serverName"] = serverName,
    };

    public static JsonObject Cluster(string phase, bool ready, bool archiving = false, int readyInstances = -1) => new()
    {
        ["phase"] = phase,
        ["readyInstances"] = readyInstances >= 0 ? readyInstances : ready ? 1 : 0,
        ["conditions"] = new JsonArray(
            new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False", ["reason"] = ready ? "ClusterIsReady" : "ClusterIsNotReady", ["message"] = ready ? "Cluster is Ready" : "Cluster Is Not Ready" },
            new JsonObject { ["type"] = "ContinuousArchiving", ["status"] = archiving ? "True" : "False", ["reason"] = archiving ? "ContinuousArchivingSuccess" : "ContinuousArchivingFailing", ["message"] = archiving ? "" : "unexpected failure invoking barman-cloud-wal-archive: exit status 4" }),
    };

    public static JsonObject Healthy(bool archiving = false) => Cluster("Cluster in healthy state", ready: true, archiving);
}
