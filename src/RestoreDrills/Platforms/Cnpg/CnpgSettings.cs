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
    public string Namespace { get; init; } = SettingsTable.CnpgNamespace.Default;
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
    public string Database { get; init; } = SettingsTable.CnpgDatabase.Default;
    public string Owner { get; init; } = "";
    public string EffectiveOwner => Owner.Length > 0 ? Owner : Database;
    public CnpgConnectVia ConnectVia { get; init; } = CnpgConnectVia.PortForward;
    /// <summary>What the restored data must show (RESTOREDRILLS_EXPECT_*, the same settings as the existing-store drill).</summary>
    public Configuration.StoreExpectations Expectations { get; init; } = Configuration.StoreExpectations.Read(SettingsReader.Defaults);
    public string StorageSize { get; init; } = SettingsTable.CnpgStorageSize.Default;
    /// <summary>false: drill the newest completed backup (the nightly drill of production backups) instead of taking one.</summary>
    public bool TakeBackup { get; init; } = SettingsTable.CnpgTakeBackup.DefaultBool;

    /// <summary>
    /// Where the CloudNative-PG CRDs are (RESTOREDRILLS_CNPG_CRD_DIR, relative to the repository): what the tests
    /// validate against, and live mode when its identity may not read the cluster's own.
    /// </summary>
    public string CrdDirectory { get; init; } = Manifests.CrdSchemas.DefaultDirectory;

    public TimeSpan BackupTimeout { get; init; } = SettingsTable.TimeoutCnpgBackup.DefaultDuration;
    public TimeSpan ClusterReadyTimeout { get; init; } = SettingsTable.TimeoutCnpgClusterReady.DefaultDuration;
    public TimeSpan AppSecretTimeout { get; init; } = SettingsTable.TimeoutCnpgAppSecret.DefaultDuration;
    public TimeSpan DeleteTimeout { get; init; } = SettingsTable.TimeoutCnpgDelete.DefaultDuration;
    /// <summary>
    /// How long a time or LSN drill waits for the source to archive WAL past its target (CNPG's archive_timeout is
    /// 5 min); longer: the source is too quiet tonight and the drill is not run, never failed.
    /// </summary>
    public TimeSpan ArchiveTimeout { get; init; } = SettingsTable.TimeoutCnpgArchive.DefaultDuration;
    /// <summary>true: a source too quiet for a time/LSN target fails the drill instead of leaving it not drillable (a source known to commit, as the test double's).</summary>
    public bool RequireDrillable { get; init; }
    /// <summary>
    /// false: the throwaway-source drills are not run (e.g. nightly against production, where they would create
    /// clusters in its namespace and archive into its object store under names of their own). On a staging cluster, true.
    /// </summary>
    public bool ThrowawaySources { get; init; } = SettingsTable.CnpgThrowawaySources.DefaultBool;
    public TimeSpan PollInterval { get; init; } = SettingsTable.CnpgPollInterval.DefaultDuration;
    /// <summary>How late a ScheduledBackup may be past its next due run before the preflight fails.</summary>
    public TimeSpan ScheduleGrace { get; init; } = SettingsTable.CnpgScheduleGrace.DefaultDuration;
    /// <summary>The oldest the newest completed backup may be (the source's retentionPolicy wins when it has one).</summary>
    public TimeSpan BackupRetention { get; init; } = SettingsTable.CnpgBackupRetention.DefaultDuration;
    /// <summary>RTO budget: the restored cluster created until ready (a measurement of its own, not the containers drills' download to promoted).</summary>
    public TimeSpan RtoBudget { get; init; } = SettingsTable.BudgetCnpgRto.DefaultDuration;
    /// <summary>A labelled restored cluster of another run older than this is a leftover of a killed run.</summary>
    public TimeSpan LeftoverAge { get; init; } = SettingsTable.CnpgLeftoverAge.DefaultDuration;

    /// <summary>wal.maxParallel of the restored cluster when the source Cluster gives none (CNPG's default is 1).</summary>
    public int WalMaxParallel { get; init; } = SettingsTable.WalMaxParallel.DefaultInt;

    public static CnpgSettings Read(SettingsReader s)
    {
        var source = s.String(SettingsTable.CnpgSourceCluster);
        return new CnpgSettings
        {
            Kubeconfig = s.Raw(SettingsTable.Kubeconfig) ?? s.Raw(SettingsTable.StandardKubeconfig),
            KubeconfigData = s.Raw(SettingsTable.KubeconfigData) is { } data ? RestoreDrills.Secrets.SecretMasker.Register(data) : null,
            RequireCluster = s.Flag(SettingsTable.RequireCluster),
            Namespace = s.String(SettingsTable.CnpgNamespace),
            SourceCluster = source,
            ScheduledBackup = s.String(SettingsTable.CnpgScheduledBackup),
            SourceServerName = s.String(SettingsTable.CnpgSourceServerName, source),
            Method = s.Choice(SettingsTable.CnpgBackupMethod, ("barmanObjectStore", BackupMethod.BarmanObjectStore), ("plugin", BackupMethod.Plugin)),
            DestinationPath = s.String(SettingsTable.CnpgDestinationPath),
            Credentials = s.Choice(SettingsTable.CnpgAzureCredentials, ("connection-string", AzureCredentialsKind.ConnectionString),
                ("storage-key", AzureCredentialsKind.StorageKey), ("sas-token", AzureCredentialsKind.SasToken)),
            CredentialsSecret = s.String(SettingsTable.CnpgAzureSecret),
            ObjectStore = s.String(SettingsTable.CnpgObjectStore),
            PostgresImage = s.String(SettingsTable.CnpgPostgresImage),
            Database = s.String(SettingsTable.CnpgDatabase),
            Owner = s.String(SettingsTable.CnpgOwner),
            ConnectVia = s.Choice(SettingsTable.CnpgConnect, ("port-forward", CnpgConnectVia.PortForward), ("service", CnpgConnectVia.Service)),
            Expectations = Configuration.StoreExpectations.Read(s),
            StorageSize = s.String(SettingsTable.CnpgStorageSize),
            WalMaxParallel = s.Int(SettingsTable.WalMaxParallel, min: 1),
            TakeBackup = s.Flag(SettingsTable.CnpgTakeBackup),
            CrdDirectory = ReadCrdDirectory(s),
            BackupTimeout = s.Duration(SettingsTable.TimeoutCnpgBackup),
            ClusterReadyTimeout = s.Duration(SettingsTable.TimeoutCnpgClusterReady),
            AppSecretTimeout = s.Duration(SettingsTable.TimeoutCnpgAppSecret),
            DeleteTimeout = s.Duration(SettingsTable.TimeoutCnpgDelete),
            ArchiveTimeout = s.Duration(SettingsTable.TimeoutCnpgArchive),
            RequireDrillable = s.Flag(SettingsTable.CnpgRequireDrillable),
            ThrowawaySources = s.Flag(SettingsTable.CnpgThrowawaySources),
            PollInterval = s.Duration(SettingsTable.CnpgPollInterval),
            ScheduleGrace = s.Duration(SettingsTable.CnpgScheduleGrace),
            BackupRetention = s.Duration(SettingsTable.CnpgBackupRetention),
            RtoBudget = s.Duration(SettingsTable.BudgetCnpgRto),
            LeftoverAge = s.Duration(SettingsTable.CnpgLeftoverAge),
        };
    }

    /// <summary>RESTOREDRILLS_CNPG_CRD_DIR alone (the tests need no other CNPG setting to find the CRDs).</summary>
    public static string ReadCrdDirectory(SettingsReader s) =>
        Path.GetFullPath(s.String(SettingsTable.CnpgCrdDirectory, Manifests.CrdSchemas.DefaultDirectory), RepositoryPaths.Root);

    /// <summary>The settings a live drill cannot do without, each missing one named.</summary>
    public IReadOnlyList<string> MissingForLiveMode()
    {
        var missing = new List<string>();
        if (SourceCluster.Length == 0) missing.Add(SettingsTable.CnpgSourceCluster.Name);
        if (Method == BackupMethod.BarmanObjectStore && DestinationPath.Length == 0) missing.Add(SettingsTable.CnpgDestinationPath.Name);
        if (Method == BackupMethod.BarmanObjectStore && CredentialsSecret.Length == 0) missing.Add(SettingsTable.CnpgAzureSecret.Name);
        if (Method == BackupMethod.Plugin && ObjectStore.Length == 0) missing.Add(SettingsTable.CnpgObjectStore.Name);
        return missing;
    }
}
