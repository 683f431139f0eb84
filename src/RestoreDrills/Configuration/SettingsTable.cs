using System.Reflection;
using static RestoreDrills.Configuration.SettingScope;
using static RestoreDrills.Configuration.SettingUnit;

namespace RestoreDrills.Configuration;

/// <summary>
/// Every setting of RestoreDrills, once: name, default, unit, meaning and where a run sets it. The code reads these
/// rows (through <see cref="SettingsReader"/>), every wait and budget included; nunit.runsettings and the tables in
/// docs/settings.md and docs/existing-store.md are checked against this one by SettingsTableTests.
/// A default of "" is none, or one derived at run time (the meaning says from what).
/// </summary>
public static class SettingsTable
{
    // Images and seed
    public static readonly Setting PostgresImage = new("RESTOREDRILLS_POSTGRES_IMAGE", "restoredrills/postgres:15", Text, RunSettings, "PostgreSQL + barman-cloud image");
    public static readonly Setting AzuriteImage = new("RESTOREDRILLS_AZURITE_IMAGE", "restoredrills/azurite:3.35.0", Text, RunSettings, "Azure Blob endpoint");
    public static readonly Setting PostgresMajor = new("RESTOREDRILLS_POSTGRES_MAJOR", "", Count, SettingScope.Environment, "the PostgreSQL major the run claims (./scripts/drill --postgres N); the drill checks the image runs it");
    public static readonly Setting PostgresImages = new("RESTOREDRILLS_POSTGRES_IMAGES", "", Text, SettingScope.Environment, "<major>=<image>,... for the existing-store drill; empty: the project's images, the run's image for its major");
    public static readonly Setting SeedRandomSeed = new("RESTOREDRILLS_SEED_RANDOM_SEED", "20261125", Count, RunSettings, "Bogus seed of the generated rows");
    public static readonly Setting SeedRows = new("RESTOREDRILLS_SEED_ROWS", "5000", Count, RunSettings, "generated rows (at least 20)");

    // Budgets: exceeding one fails the drill
    public static readonly Setting BudgetBackup = new("RESTOREDRILLS_BUDGET_BACKUP_SECONDS", "120", Seconds, RunSettings, "backup duration budget");
    public static readonly Setting BudgetRto = new("RESTOREDRILLS_BUDGET_RTO_SECONDS", "300", Seconds, RunSettings, "RTO budget of a barman-cloud restore: base backup download until promoted");
    public static readonly Setting BudgetCnpgRto = new("RESTOREDRILLS_BUDGET_CNPG_RTO_SECONDS", "300", Seconds, RunSettings, "RTO budget of a CNPG restore: the restored Cluster created until ready");
    public static readonly Setting BudgetRpo = new("RESTOREDRILLS_BUDGET_RPO_SECONDS", "60", Seconds, RunSettings, "RPO budget: target vs last replayed commit");
    public static readonly Setting BudgetWalArchiveLag = new("RESTOREDRILLS_BUDGET_WAL_ARCHIVE_LAG_SECONDS", "30", Seconds, RunSettings, "WAL switch until archived");
    public static readonly Setting BudgetBackupAge = new("RESTOREDRILLS_BUDGET_BACKUP_AGE_HOURS", "26", Hours, SettingScope.Environment, "the newest restorable backup may be this old (existing-store drill)");

    // Timeouts: how long a waiting step may take
    public static readonly Setting TimeoutContainerStart = new("RESTOREDRILLS_TIMEOUT_CONTAINER_START_SECONDS", "120", Seconds, RunSettings, "container start");
    public static readonly Setting TimeoutBackup = new("RESTOREDRILLS_TIMEOUT_BACKUP_SECONDS", "600", Seconds, RunSettings, "barman-cloud-backup");
    public static readonly Setting TimeoutWalArchived = new("RESTOREDRILLS_TIMEOUT_WAL_ARCHIVED_SECONDS", "60", Seconds, RunSettings, "a switched WAL segment reaching the archive");
    public static readonly Setting TimeoutRestoreDownload = new("RESTOREDRILLS_TIMEOUT_RESTORE_DOWNLOAD_SECONDS", "600", Seconds, RunSettings, "barman-cloud-restore");
    public static readonly Setting TimeoutSwitchover = new("RESTOREDRILLS_TIMEOUT_SWITCHOVER_SECONDS", "120", Seconds, RunSettings, "each wait of a source's timeline change (a standby streaming and replaying past the old primary; a promotion)");
    public static readonly Setting TimeoutRecovery = new("RESTOREDRILLS_TIMEOUT_RECOVERY_SECONDS", "600", Seconds, RunSettings, "recovery until promotion");
    public static readonly Setting TimeoutCertificate = new("RESTOREDRILLS_TIMEOUT_CERTIFICATE_SECONDS", "120", Seconds, Scripts, "Chromium printing the certificate");

    // CloudNative-PG
    public static readonly Setting KubeconfigData = new("RESTOREDRILLS_KUBECONFIG_DATA", "", Text, SettingScope.Environment, "the kubeconfig itself (a secret)");
    public static readonly Setting Kubeconfig = new("RESTOREDRILLS_KUBECONFIG", "", SettingUnit.Path, RunSettings, "kubeconfig of the cluster; empty: KUBECONFIG");
    public static readonly Setting StandardKubeconfig = new("KUBECONFIG", "", SettingUnit.Path, SettingScope.Environment, "kubectl's own kubeconfig variable, when RESTOREDRILLS_KUBECONFIG is empty");
    public static readonly Setting RequireCluster = new("RESTOREDRILLS_REQUIRE_CLUSTER", "false", Flag, RunSettings, "true: the CNPG drills fail (not skip) without a cluster");
    public static readonly Setting CnpgNamespace = new("RESTOREDRILLS_CNPG_NAMESPACE", "default", Text, RunSettings, "namespace of the source and of the restored clusters");
    public static readonly Setting CnpgSourceCluster = new("RESTOREDRILLS_CNPG_SOURCE_CLUSTER", "", Text, RunSettings, "the production Cluster");
    public static readonly Setting CnpgScheduledBackup = new("RESTOREDRILLS_CNPG_SCHEDULED_BACKUP", "", Text, RunSettings, "its ScheduledBackup (empty: not checked)");
    public static readonly Setting CnpgSourceServerName = new("RESTOREDRILLS_CNPG_SOURCE_SERVER_NAME", "", Text, RunSettings, "its folder in the object store; empty: the source cluster's name");
    public static readonly Setting CnpgBackupMethod = new("RESTOREDRILLS_CNPG_BACKUP_METHOD", "barmanObjectStore", Choice, RunSettings, "barmanObjectStore or plugin");
    public static readonly Setting CnpgDestinationPath = new("RESTOREDRILLS_CNPG_DESTINATION_PATH", "", Text, RunSettings, "https://<account>.blob.core.windows.net/<container>");
    public static readonly Setting CnpgAzureCredentials = new("RESTOREDRILLS_CNPG_AZURE_CREDENTIALS", "connection-string", Choice, RunSettings, "connection-string, storage-key or sas-token");
    public static readonly Setting CnpgAzureSecret = new("RESTOREDRILLS_CNPG_AZURE_SECRET", "", Text, RunSettings, "the Secret with the Azure credentials");
    public static readonly Setting CnpgObjectStore = new("RESTOREDRILLS_CNPG_OBJECT_STORE", "", Text, RunSettings, "the plugin's ObjectStore of the source");
    public static readonly Setting CnpgPostgresImage = new("RESTOREDRILLS_CNPG_POSTGRES_IMAGE", "", Text, RunSettings, "image of the restored cluster; empty: the source Cluster's");
    public static readonly Setting CnpgDatabase = new("RESTOREDRILLS_CNPG_DATABASE", "app", Text, RunSettings, "bootstrap.recovery.database");
    public static readonly Setting CnpgOwner = new("RESTOREDRILLS_CNPG_OWNER", "", Text, RunSettings, "bootstrap.recovery.owner; empty: the database's name");
    public static readonly Setting CnpgConnect = new("RESTOREDRILLS_CNPG_CONNECT", "port-forward", Choice, RunSettings, "port-forward or service");
    public static readonly Setting CnpgStorageSize = new("RESTOREDRILLS_CNPG_STORAGE_SIZE", "1Gi", Text, RunSettings, "storage of the restored cluster");
    public static readonly Setting CnpgTakeBackup = new("RESTOREDRILLS_CNPG_TAKE_BACKUP", "true", Flag, RunSettings, "false: drill the newest completed backup");
    public static readonly Setting CnpgCrdDirectory = new("RESTOREDRILLS_CNPG_CRD_DIR", "", SettingUnit.Path, RunSettings, "the CloudNative-PG CRDs; empty: ../shared/cnpg-crds beside the repository");
    public static readonly Setting TimeoutCnpgBackup = new("RESTOREDRILLS_TIMEOUT_CNPG_BACKUP_SECONDS", "600", Seconds, RunSettings, "Backup until completed");
    public static readonly Setting TimeoutCnpgClusterReady = new("RESTOREDRILLS_TIMEOUT_CNPG_CLUSTER_READY_SECONDS", "900", Seconds, RunSettings, "restored Cluster until ready");
    public static readonly Setting TimeoutCnpgAppSecret = new("RESTOREDRILLS_TIMEOUT_CNPG_APP_SECRET_SECONDS", "60", Seconds, RunSettings, "<cluster>-app secret until present");
    public static readonly Setting TimeoutCnpgDelete = new("RESTOREDRILLS_TIMEOUT_CNPG_DELETE_SECONDS", "120", Seconds, RunSettings, "restored Cluster and PVCs until gone");
    public static readonly Setting TimeoutCnpgArchive = new("RESTOREDRILLS_TIMEOUT_CNPG_ARCHIVE_SECONDS", "900", Seconds, RunSettings, "a time/LSN drill's wait for WAL archived past its target");
    public static readonly Setting CnpgRequireDrillable = new("RESTOREDRILLS_CNPG_REQUIRE_DRILLABLE", "false", Flag, RunSettings, "true: a source too quiet for a time/LSN target fails the drill");
    public static readonly Setting CnpgThrowawaySources = new("RESTOREDRILLS_CNPG_THROWAWAY_SOURCES", "true", Flag, RunSettings, "false: the throwaway-source drills are not run");
    public static readonly Setting CnpgPollInterval = new("RESTOREDRILLS_CNPG_POLL_SECONDS", "5", Seconds, RunSettings, "status poll interval");
    public static readonly Setting CnpgScheduleGrace = new("RESTOREDRILLS_CNPG_SCHEDULE_GRACE_SECONDS", "3600", Seconds, RunSettings, "how late the ScheduledBackup may be");
    public static readonly Setting CnpgBackupRetention = new("RESTOREDRILLS_CNPG_BACKUP_RETENTION_SECONDS", "2592000", Seconds, RunSettings, "oldest the newest backup may be, without a retentionPolicy");
    public static readonly Setting CnpgLeftoverAge = new("RESTOREDRILLS_CNPG_LEFTOVER_AGE_SECONDS", "7200", Seconds, RunSettings, "a restored cluster of another run older than this is swept");

    // Verification and the restore's WAL fetch
    public static readonly Setting VerifyTables = new("RESTOREDRILLS_VERIFY_TABLES", "backup_test", Text, RunSettings, "backup_test, all, or a comma-separated list of tables");
    public static readonly Setting WalMaxParallel = new("RESTOREDRILLS_WAL_MAX_PARALLEL", "1", Count, RunSettings, "WAL files restore_command fetches at once (CNPG's wal.maxParallel)");

    // The existing-store drill
    public static readonly Setting StoreUrl = new("RESTOREDRILLS_STORE_URL", "", Text, SettingScope.Environment, "barman's destinationPath as the restore container reaches it (required)");
    public static readonly Setting StoreUrlFromHost = new("RESTOREDRILLS_STORE_URL_FROM_HOST", "", Text, SettingScope.Environment, "the same store as the test process reaches it; empty: the same URL");
    public static readonly Setting StoreDockerNetwork = new("RESTOREDRILLS_STORE_DOCKER_NETWORK", "", Text, SettingScope.Environment, "a Docker network the restore container joins");
    public static readonly Setting StoreServerName = new("RESTOREDRILLS_SERVER_NAME", "", Text, SettingScope.Environment, "the server's folder in the store (required)");
    public static readonly Setting StoreConnectionString = new("RESTOREDRILLS_STORE_CONNECTION_STRING", "", Text, SettingScope.Environment, "credentials, form 1 (a secret)");
    public static readonly Setting StoreKey = new("RESTOREDRILLS_STORE_KEY", "", Text, SettingScope.Environment, "credentials, form 2 (a secret)");
    public static readonly Setting StoreSasToken = new("RESTOREDRILLS_STORE_SAS_TOKEN", "", Text, SettingScope.Environment, "credentials, form 3 (a secret)");
    public static readonly Setting StoreBackup = new("RESTOREDRILLS_STORE_BACKUP", "latest", Text, SettingScope.Environment, "latest, a backup id, or before:<time>");
    public static readonly Setting StoreTarget = new("RESTOREDRILLS_STORE_TARGET", "latest", Text, SettingScope.Environment, "the recovery target, or recorded");
    public static readonly Setting StoreDatabase = new("RESTOREDRILLS_STORE_DATABASE", "app", Text, SettingScope.Environment, "the database to verify");
    public static readonly Setting StoreSuperuser = new("RESTOREDRILLS_STORE_SUPERUSER", "postgres", Text, SettingScope.Environment, "the restored server's superuser");
    public static readonly Setting ExpectTables = new("RESTOREDRILLS_EXPECT_TABLES", "backup_test", Text, SettingScope.Environment, "tables that must exist (none to skip)");
    public static readonly Setting ExpectMinRows = new("RESTOREDRILLS_EXPECT_MIN_ROWS", "backup_test=5", Text, SettingScope.Environment, "<table>=<count>,...");
    public static readonly Setting ExpectCanonicalRows = new("RESTOREDRILLS_EXPECT_CANONICAL_ROWS", "", Text, SettingScope.Environment, "names that must be in backup_test.name; empty: the runbook's five (none to skip)");
    public static readonly Setting ExpectRowsMatching = new("RESTOREDRILLS_EXPECT_ROWS_MATCHING", "none", Text, SettingScope.Environment, "<table>: <SQL condition>; ...");

    // Results, history and the run's identity
    public static readonly Setting ResultsDirectory = new("RESTOREDRILLS_RESULTS_DIR", "", SettingUnit.Path, RunSettings, "where result files go; empty: artifacts/allure-results");
    public static readonly Setting TrendFile = new("RESTOREDRILLS_TREND_FILE", "", SettingUnit.Path, RunSettings, "each drill's evidence per run; empty: artifacts/history/drill-trend.jsonl");
    public static readonly Setting TrendRuns = new("RESTOREDRILLS_TREND_RUNS", "14", Count, RunSettings, "runs a trend chart shows");
    public static readonly Setting HistoryFile = new("RESTOREDRILLS_HISTORY_FILE", "", SettingUnit.Path, Scripts, "report history; empty: artifacts/history/allure-history.jsonl");
    public static readonly Setting Chromium = new("RESTOREDRILLS_CHROMIUM", "", SettingUnit.Path, SettingScope.Environment, "the Chromium that prints the certificate; empty: found on the PATH");
    public static readonly Setting ExecutorName = new("RESTOREDRILLS_EXECUTOR_NAME", "", Text, SettingScope.Environment, "who ran the drills, in the report; empty: the CI system's name");
    public static readonly Setting BuildName = new("RESTOREDRILLS_BUILD_NAME", "", Text, SettingScope.Environment, "the build's name outside GitHub and Azure; empty: the run id");
    public static readonly Setting BuildUrl = new("RESTOREDRILLS_BUILD_URL", "", Text, SettingScope.Environment, "the build's link outside GitHub and Azure");
    public static readonly Setting Session = new("RESTOREDRILLS_SESSION", "", Text, SettingScope.Environment, "the script session's id on every container (its sweep removes them)");
    public static readonly Setting TestcontainersLog = new("RESTOREDRILLS_TESTCONTAINERS_LOG", "false", Flag, SettingScope.Environment, "true: Testcontainers' own log of every exec");

    // The scripts and the project's own tests
    public static readonly Setting DebianMirror = new("RESTOREDRILLS_DEBIAN_MIRROR", "", Text, Scripts, "debootstrap mirror; empty: the machine's apt mirror");
    public static readonly Setting BaseImages = new("RESTOREDRILLS_BASE_IMAGES", "auto", Choice, Scripts, "registry, debootstrap or auto");
    public static readonly Setting RunnerUser = new("RESTOREDRILLS_RUNNER_USER", "rdrunner", Text, Scripts, "the unprivileged user the runner check runs as");
    public static readonly Setting Node = new("RESTOREDRILLS_NODE", "", SettingUnit.Path, Scripts, "the Node.js of the Allure generator; empty: node on the PATH");
    public static readonly Setting CnpgE2eFixtures = new("RESTOREDRILLS_CNPG_E2E_FIXTURES", "", SettingUnit.Path, SettingScope.Environment, "CloudNative-PG's tests/e2e/fixtures, validated when set");
    public static readonly Setting BenchRows = new("RESTOREDRILLS_BENCH_ROWS", "1000000", Count, Scripts, "rows of the benchmark's wide table");
    public static readonly Setting BenchRepeats = new("RESTOREDRILLS_BENCH_REPEATS", "2", Count, Scripts, "restores of each side in the benchmark's harness comparison");
    public static readonly Setting BenchOutput = new("RESTOREDRILLS_BENCH_OUTPUT", "", SettingUnit.Path, Scripts, "where the benchmark writes its lines (set by scripts/bench)");
    public static readonly Setting BenchLoadBefore = new("RESTOREDRILLS_BENCH_LOAD_BEFORE", "", Text, Scripts, "the load average before the benchmark (set by scripts/bench)");

    // Waits inside a step: fixed, read from here
    public static readonly Setting ArchiverPoll = new("wait.archiver-poll", "100", Milliseconds, Fixed, "pg_stat_archiver polled until a switched WAL segment is archived");
    public static readonly Setting PromotionProbe = new("wait.promotion-probe", "200", Milliseconds, Fixed, "the restored server asked whether recovery ended");
    public static readonly Setting RestoredStartGrace = new("wait.restored-start-grace", "10", Seconds, Fixed, "a restored server not running yet is a stop only after this long (or a stop in its log)");
    public static readonly Setting TargetClockMargin = new("wait.target-clock-margin", "100", Milliseconds, Fixed, "a time target is waited past a whole second by this much more (clocks read to the millisecond)");
    public static readonly Setting SweepSettle = new("wait.sweep-settle", "1", Seconds, Fixed, "pause between passes of a container sweep");
    public static readonly Setting InterruptSweep = new("timeout.interrupt-sweep", "30", Seconds, Fixed, "the sweep on Ctrl-C or SIGTERM");
    public static readonly Setting ForeignLeftoverAge = new("age.foreign-leftover", "24", Hours, Fixed, "a labelled container of another host older than this is swept");
    public static readonly Setting SidecarAnswer = new("timeout.sidecar-answer", "600", Seconds, Fixed, "a restore_command's wait for the barman-cloud sidecar");
    public static readonly Setting DockerVersionProbe = new("timeout.docker-version", "10", Seconds, Fixed, "docker version, asked for the engine's API version");
    public static readonly Setting RestoredConnect = new("timeout.restored-connect", "5", Seconds, Fixed, "a connection to a restored server (it may still be starting)");
    public static readonly Setting CnpgConnectTimeout = new("timeout.cnpg-connect", "15", Seconds, Fixed, "a connection through a port-forward (a tunnel set up first)");
    public static readonly Setting VerificationQuery = new("timeout.verification-query", "3600", Seconds, Fixed, "one verification query (a segment summary, amcheck of a relation)");
    public static readonly Setting PortForwardError = new("timeout.port-forward-error", "1", Seconds, Fixed, "a closed tunnel's error channel read");
    public static readonly Setting PortForwardClose = new("timeout.port-forward-close", "5", Seconds, Fixed, "a tunnel's websocket close");
    public static readonly Setting PortForwardDrain = new("timeout.port-forward-drain", "10", Seconds, Fixed, "open tunnels ending when a port-forward is disposed");

    /// <summary>Every row, in the order above.</summary>
    public static IReadOnlyList<Setting> All { get; } =
        [.. typeof(SettingsTable).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(Setting)).Select(f => (Setting)f.GetValue(null)!)];

    /// <summary>The row of a name, or null.</summary>
    public static Setting? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
