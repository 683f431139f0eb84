using RestoreDrills.Configuration;
using RestoreDrills.Failures;
using RestoreDrills.Platforms.Cnpg.Manifests;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// The CloudNative-PG platform's named settings (nunit.runsettings TestRunParameters, the environment wins).
/// Live mode needs a cluster: RESTOREDRILLS_KUBECONFIG (or KUBECONFIG), or running inside a pod.
/// </summary>
public sealed record CnpgSettings
{
    /// <summary>The kubeconfig file; null when none is set (then in-cluster configuration, if inside a pod).</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>
    /// The kubeconfig itself (RESTOREDRILLS_KUBECONFIG_DATA), for pipelines that hold it in a secret: it is read
    /// from memory, never written to disk or printed. Wins over the kubeconfig file.
    /// </summary>
    public string? KubeconfigData { get; init; }
    /// <summary>RESTOREDRILLS_REQUIRE_CLUSTER=true: a pipeline that declares a cluster fails (not skips) without one.</summary>
    public bool RequireCluster { get; init; }
    public string Namespace { get; init; } = "default";
    public string SourceCluster { get; init; } = "";
    public string ScheduledBackup { get; init; } = "";
    /// <summary>The folder of the source's backups under the destination path (CNPG: serverName, default the cluster name).</summary>
    public string SourceServerName { get; init; } = "";
    public BackupMethod Method { get; init; } = BackupMethod.BarmanObjectStore;
    public string DestinationPath { get; init; } = "";
    public AzureCredentialsKind Credentials { get; init; } = AzureCredentialsKind.ConnectionString;
    public string CredentialsSecret { get; init; } = "";
    /// <summary>The plugin's ObjectStore of the source (method plugin).</summary>
    public string ObjectStore { get; init; } = "";
    /// <summary>The restored cluster's image; empty: the source Cluster's own (spec.imageName or imageCatalogRef).</summary>
    public string PostgresImage { get; init; } = "";
    /// <summary>
    /// The database the data lives in and its owner: bootstrap.recovery.database / owner, so the restored cluster's
    /// app secret opens the restored data (CNPG defaults both to app, and makes an empty app database when the
    /// backup has none). Owner empty: the database's name, as CNPG defaults it.
    /// </summary>
    public string Database { get; init; } = "app";
    public string Owner { get; init; } = "";
    public string EffectiveOwner => Owner.Length > 0 ? Owner : Database;
    public CnpgConnectVia ConnectVia { get; init; } = CnpgConnectVia.PortForward;
    /// <summary>What the restored data must show (RESTOREDRILLS_EXPECT_*, the same settings as the existing-store drill).</summary>
    public Configuration.StoreExpectations Expectations { get; init; } = Configuration.StoreExpectations.Read(new SettingsReader(_ => null, _ => null));
    public string StorageSize { get; init; } = "1Gi";
    /// <summary>false: drill the newest completed backup (the nightly drill of production backups) instead of taking one.</summary>
    public bool TakeBackup { get; init; } = true;

    /// <summary>
    /// Where the CloudNative-PG CRDs are (RESTOREDRILLS_CNPG_CRD_DIR, relative to the repository): what the tests
    /// validate against, and live mode when its identity may not read the cluster's own.
    /// </summary>
    public string CrdDirectory { get; init; } = Manifests.CrdSchemas.DefaultDirectory;

    public TimeSpan BackupTimeout { get; init; } = TimeSpan.FromSeconds(600);
    public TimeSpan ClusterReadyTimeout { get; init; } = TimeSpan.FromSeconds(900);
    public TimeSpan AppSecretTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan DeleteTimeout { get; init; } = TimeSpan.FromSeconds(120);
    /// <summary>
    /// How long a time or LSN drill waits for the source to archive WAL past its target (CNPG's archive_timeout is
    /// 5 min); longer: the source is too quiet tonight and the drill is not run, never failed.
    /// </summary>
    public TimeSpan ArchiveTimeout { get; init; } = TimeSpan.FromSeconds(900);
    /// <summary>true: a source too quiet for a time/LSN target fails the drill instead of leaving it not drillable (a source known to commit, as the test double's).</summary>
    public bool RequireDrillable { get; init; }
    /// <summary>
    /// false: the throwaway-source drills are not run (e.g. nightly against production, where they would create
    /// clusters in its namespace and archive into its object store under names of their own). On a staging cluster, true.
    /// </summary>
    public bool ThrowawaySources { get; init; } = true;
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>How late a ScheduledBackup may be past its next due run before the preflight fails.</summary>
    public TimeSpan ScheduleGrace { get; init; } = TimeSpan.FromSeconds(3600);
    /// <summary>The oldest the newest completed backup may be (the source's retentionPolicy wins when it has one).</summary>
    public TimeSpan BackupRetention { get; init; } = TimeSpan.FromDays(30);
    /// <summary>RTO budget: the restored cluster created until ready (the same setting as the containers drills).</summary>
    public TimeSpan RtoBudget { get; init; } = TimeSpan.FromSeconds(300);
    /// <summary>A labelled restored cluster of another run older than this is a leftover of a killed run.</summary>
    public TimeSpan LeftoverAge { get; init; } = TimeSpan.FromSeconds(7200);

    /// <summary>wal.maxParallel of the restored cluster when the source Cluster gives none (CNPG's default is 1).</summary>
    public int WalMaxParallel { get; init; } = 1;

    public static CnpgSettings Read(SettingsReader s)
    {
        var source = s.String("RESTOREDRILLS_CNPG_SOURCE_CLUSTER", "");
        return new CnpgSettings
        {
            Kubeconfig = s.Raw("RESTOREDRILLS_KUBECONFIG") ?? s.Raw("KUBECONFIG"),
            KubeconfigData = s.Raw("RESTOREDRILLS_KUBECONFIG_DATA") is { } data ? RestoreDrills.Secrets.SecretMasker.Register(data) : null,
            RequireCluster = Bool(s, "RESTOREDRILLS_REQUIRE_CLUSTER", false),
            Namespace = s.String("RESTOREDRILLS_CNPG_NAMESPACE", "default"),
            SourceCluster = source,
            ScheduledBackup = s.String("RESTOREDRILLS_CNPG_SCHEDULED_BACKUP", ""),
            SourceServerName = s.String("RESTOREDRILLS_CNPG_SOURCE_SERVER_NAME", source),
            Method = Choice(s, "RESTOREDRILLS_CNPG_BACKUP_METHOD", BackupMethod.BarmanObjectStore,
                ("barmanObjectStore", BackupMethod.BarmanObjectStore), ("plugin", BackupMethod.Plugin)),
            DestinationPath = s.String("RESTOREDRILLS_CNPG_DESTINATION_PATH", ""),
            Credentials = Choice(s, "RESTOREDRILLS_CNPG_AZURE_CREDENTIALS", AzureCredentialsKind.ConnectionString,
                ("connection-string", AzureCredentialsKind.ConnectionString), ("storage-key", AzureCredentialsKind.StorageKey),
                ("sas-token", AzureCredentialsKind.SasToken)),
            CredentialsSecret = s.String("RESTOREDRILLS_CNPG_AZURE_SECRET", ""),
            ObjectStore = s.String("RESTOREDRILLS_CNPG_OBJECT_STORE", ""),
            PostgresImage = s.String("RESTOREDRILLS_CNPG_POSTGRES_IMAGE", ""),
            Database = s.String("RESTOREDRILLS_CNPG_DATABASE", "app"),
            Owner = s.String("RESTOREDRILLS_CNPG_OWNER", ""),
            ConnectVia = Choice(s, "RESTOREDRILLS_CNPG_CONNECT", CnpgConnectVia.PortForward,
                ("port-forward", CnpgConnectVia.PortForward), ("service", CnpgConnectVia.Service)),
            Expectations = Configuration.StoreExpectations.Read(s),
            StorageSize = s.String("RESTOREDRILLS_CNPG_STORAGE_SIZE", "1Gi"),
            WalMaxParallel = s.Int(Manifests.WalParallelism.Setting, 1, min: 1),
            TakeBackup = Bool(s, "RESTOREDRILLS_CNPG_TAKE_BACKUP", true),
            CrdDirectory = ReadCrdDirectory(s),
            BackupTimeout = s.Seconds("RESTOREDRILLS_TIMEOUT_CNPG_BACKUP_SECONDS", 600),
            ClusterReadyTimeout = s.Seconds("RESTOREDRILLS_TIMEOUT_CNPG_CLUSTER_READY_SECONDS", 900),
            AppSecretTimeout = s.Seconds("RESTOREDRILLS_TIMEOUT_CNPG_APP_SECRET_SECONDS", 60),
            DeleteTimeout = s.Seconds("RESTOREDRILLS_TIMEOUT_CNPG_DELETE_SECONDS", 120),
            ArchiveTimeout = s.Seconds("RESTOREDRILLS_TIMEOUT_CNPG_ARCHIVE_SECONDS", 900),
            RequireDrillable = Bool(s, "RESTOREDRILLS_CNPG_REQUIRE_DRILLABLE", false),
            ThrowawaySources = Bool(s, "RESTOREDRILLS_CNPG_THROWAWAY_SOURCES", true),
            PollInterval = s.Seconds("RESTOREDRILLS_CNPG_POLL_SECONDS", 5),
            ScheduleGrace = s.Seconds("RESTOREDRILLS_CNPG_SCHEDULE_GRACE_SECONDS", 3600),
            BackupRetention = s.Seconds("RESTOREDRILLS_CNPG_BACKUP_RETENTION_SECONDS", 30 * 86400),
            RtoBudget = s.Seconds("RESTOREDRILLS_BUDGET_RTO_SECONDS", 300),
            LeftoverAge = s.Seconds("RESTOREDRILLS_CNPG_LEFTOVER_AGE_SECONDS", 7200),
        };
    }

    /// <summary>RESTOREDRILLS_CNPG_CRD_DIR alone (the tests need no other CNPG setting to find the CRDs).</summary>
    public static string ReadCrdDirectory(SettingsReader s) =>
        Path.GetFullPath(s.String(Manifests.CrdSchemas.DirectorySetting, Manifests.CrdSchemas.DefaultDirectory), RepositoryPaths.Root);

    /// <summary>The settings a live drill cannot do without, each missing one named.</summary>
    public IReadOnlyList<string> MissingForLiveMode()
    {
        var missing = new List<string>();
        if (SourceCluster.Length == 0) missing.Add("RESTOREDRILLS_CNPG_SOURCE_CLUSTER");
        if (Method == BackupMethod.BarmanObjectStore && DestinationPath.Length == 0) missing.Add("RESTOREDRILLS_CNPG_DESTINATION_PATH");
        if (Method == BackupMethod.BarmanObjectStore && CredentialsSecret.Length == 0) missing.Add("RESTOREDRILLS_CNPG_AZURE_SECRET");
        if (Method == BackupMethod.Plugin && ObjectStore.Length == 0) missing.Add("RESTOREDRILLS_CNPG_OBJECT_STORE");
        return missing;
    }

    private static bool Bool(SettingsReader s, string name, bool defaultValue) => s.Raw(name)?.ToLowerInvariant() switch
    {
        null => defaultValue,
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        var raw => throw new InvalidSettingException($"{name}='{raw}' is not true or false: set it to {(defaultValue ? "true" : "false")} in nunit.runsettings or the environment."),
    };

    private static T Choice<T>(SettingsReader s, string name, T defaultValue, params (string Name, T Value)[] choices)
    {
        var raw = s.Raw(name);
        if (raw is null) return defaultValue;
        foreach (var (n, v) in choices)
            if (string.Equals(n, raw, StringComparison.OrdinalIgnoreCase)) return v;
        throw new InvalidSettingException($"{name}='{raw}' is not one of {string.Join(", ", choices.Select(c => c.Name))}: set one in nunit.runsettings or the environment.");
    }
}
