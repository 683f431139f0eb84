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

    // As CloudNative-PG's instance manager writes its log (zap JSON: level, ts, msg, logger, error), each PostgreSQL
    // log record wrapped in one (logger "postgres", msg "record", the csvlog fields under "record": pkg/management/
    // postgres/logpipe/loggingCollector.go, writer.go). "Error while restoring a backup" is the restore command's
    // (internal/cmd/manager/instance/restore/restore.go).

    /// <summary>A transient failure: the object store answered 503 to the first attempt's download.</summary>
    public const string RecoveryLogJsonTransientFailure =
        "{\"level\":\"info\",\"ts\":\"2026-11-25T21:15:03.118Z\",\"logger\":\"setup\",\"msg\":\"Starting barman-cloud-restore\",\"logging_pod\":\"pg-1-full-recovery\"}\n" +
        "{\"level\":\"error\",\"ts\":\"2026-11-25T21:15:09.402Z\",\"logger\":\"setup\",\"msg\":\"Error while restoring a backup\",\"logging_pod\":\"pg-1-full-recovery\"," +
        "\"error\":\"encountered an error while restoring: exit status 4: 503 Server Busy: The server is currently unable to receive requests\"," +
        "\"stacktrace\":\"github.com/cloudnative-pg/machinery/pkg/log.(*logger).Error\\n\\tpkg/mod/github.com/cloudnative-pg/machinery/pkg/log/log.go:125\"}\n" +
        "{\"level\":\"info\",\"ts\":\"2026-11-25T21:15:09.403Z\",\"logger\":\"setup\",\"msg\":\"Checking for free disk space for WALs after PostgreSQL finished\",\"logging_pod\":\"pg-1-full-recovery\"}\n";

    /// <summary>PostgreSQL's records in JSON: the replay ends before the target, then a probe's connection is refused.</summary>
    public const string RecoveryLogJsonTargetNotReached =
        "{\"level\":\"info\",\"ts\":\"2026-11-25T21:15:20.511Z\",\"logger\":\"postgres\",\"msg\":\"record\",\"logging_pod\":\"pg-1-full-recovery\",\"record\":{\"log_time\":\"2026-11-25 21:15:20.511 UTC\",\"process_id\":\"31\",\"session_id\":\"6745a9e8.1f\",\"session_line_num\":\"4\",\"session_start_time\":\"2026-11-25 21:15:20 UTC\",\"virtual_transaction_id\":\"1/0\",\"transaction_id\":\"0\",\"error_severity\":\"LOG\",\"sql_state_code\":\"00000\",\"message\":\"restored log file \\\"000000010000000000000006\\\" from archive\",\"backend_type\":\"startup\",\"query_id\":\"0\"}}\n" +
        "{\"level\":\"info\",\"ts\":\"2026-11-25T21:15:20.733Z\",\"logger\":\"postgres\",\"msg\":\"record\",\"logging_pod\":\"pg-1-full-recovery\",\"record\":{\"log_time\":\"2026-11-25 21:15:20.733 UTC\",\"process_id\":\"31\",\"session_id\":\"6745a9e8.1f\",\"session_line_num\":\"5\",\"session_start_time\":\"2026-11-25 21:15:20 UTC\",\"virtual_transaction_id\":\"1/0\",\"transaction_id\":\"0\",\"error_severity\":\"FATAL\",\"sql_state_code\":\"XX000\",\"message\":\"recovery ended before configured recovery target was reached\",\"backend_type\":\"startup\",\"query_id\":\"0\"}}\n" +
        "{\"level\":\"info\",\"ts\":\"2026-11-25T21:15:20.940Z\",\"logger\":\"postgres\",\"msg\":\"record\",\"logging_pod\":\"pg-1-full-recovery\",\"record\":{\"log_time\":\"2026-11-25 21:15:20.940 UTC\",\"process_id\":\"40\",\"session_id\":\"6745a9e8.28\",\"session_line_num\":\"1\",\"session_start_time\":\"2026-11-25 21:15:20 UTC\",\"error_severity\":\"FATAL\",\"sql_state_code\":\"57P03\",\"message\":\"the database system is not yet accepting connections\",\"detail\":\"Consistent recovery state has not been yet reached.\",\"backend_type\":\"client backend\",\"query_id\":\"0\"}}\n" +
        "{\"level\":\"error\",\"ts\":\"2026-11-25T21:15:21.002Z\",\"logger\":\"setup\",\"msg\":\"Error while restoring a backup\",\"logging_pod\":\"pg-1-full-recovery\",\"error\":\"while waiting for PostgreSQL to stop recovery mode: exit status 1\"}\n";

    /// <summary>The Barman Cloud Plugin's sidecar when the restore starts (plugin-barman-cloud internal/cnpgi/restore/restore.go).</summary>
    public const string SidecarLogRestoreStarted =
        "{\"level\":\"info\",\"ts\":\"2026-11-25T21:15:02.870Z\",\"msg\":\"Starting barman cloud instance plugin\"}\n" +
        "{\"level\":\"info\",\"ts\":\"2026-11-25T21:15:03.012Z\",\"msg\":\"Recovering from external cluster\"}\n";

    /// <summary>The sidecar's barman-cloud-restore failing: the error is only in the sidecar's log.</summary>
    public const string SidecarLogRestoreFailed = SidecarLogRestoreStarted +
        "{\"level\":\"info\",\"ts\":\"2026-11-25T21:15:03.201Z\",\"msg\":\"Downloading backup catalog\"}\n" +
        "{\"level\":\"error\",\"ts\":\"2026-11-25T21:15:04.660Z\",\"msg\":\"Can't restore backup\",\"error\":\"unexpected failure invoking barman-cloud-restore: exit status 1: " +
        "ERROR: Barman cloud restore exception: The specified container does not exist.\"}\n";

    /// <summary>The recovery container when the plugin's restore failed: it only sees the plugin's RPC fail.</summary>
    public const string RecoveryLogPluginRestoreFailed =
        "{\"level\":\"info\",\"ts\":\"2026-11-25T21:15:02.990Z\",\"logger\":\"setup\",\"msg\":\"Restoring a backup through a plugin\"}\n" +
        "{\"level\":\"error\",\"ts\":\"2026-11-25T21:15:04.702Z\",\"logger\":\"setup\",\"msg\":\"Error while restoring a backup\",\"error\":\"rpc error: code = Unknown desc = unexpected failure invoking barman-cloud-restore: exit status 1\"}\n";

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
