namespace RestoreDrills.Platforms.Cnpg.Manifests;

/// <summary>The API names of the CloudNative-PG resources and the labels the operator and the drill put on things.</summary>
public static class CnpgResources
{
    public const string Group = "postgresql.cnpg.io";
    public const string Version = "v1";
    public const string Clusters = "clusters";
    public const string Backups = "backups";
    public const string ScheduledBackups = "scheduledbackups";

    /// <summary>The CRDs of what the drill sends: live mode validates against these, read from the cluster.</summary>
    public static readonly IReadOnlyList<string> CustomResourceDefinitions = [$"{Clusters}.{Group}", $"{Backups}.{Group}", $"{ScheduledBackups}.{Group}"];

    /// <summary>The Barman Cloud Plugin's ObjectStore CRD: read as well where the plugin is installed.</summary>
    public const string ObjectStoreDefinition = "objectstores.barmancloud.cnpg.io";

    /// <summary>The operator labels every pod and PVC of a cluster with it.</summary>
    public const string ClusterLabel = "cnpg.io/cluster";

    /// <summary>The phase of a cluster that serves: CNPG's PhaseHealthy.</summary>
    public const string HealthyPhase = "Cluster in healthy state";

    /// <summary>The phase `kubectl cnpg promote` sets with status.targetPrimary, until the operator has switched over (api/v1 PhaseSwitchover).</summary>
    public const string SwitchoverPhase = "Switchover in progress";

    /// <summary>The label CNPG puts on its Jobs and their pods with the Job's purpose (pkg/specs/jobs.go).</summary>
    public const string JobRoleLabel = "cnpg.io/jobRole";

    /// <summary>The Job that restores the first instance of a cluster bootstrapped by recovery (jobRole full-recovery).</summary>
    public static string FullRecoveryJobSelector(string cluster) => $"{ClusterLabel}={cluster},{JobRoleLabel}=full-recovery";

    /// <summary>The container of the full-recovery Job's pod that runs the instance manager's restore (named after the job role).</summary>
    public const string FullRecoveryContainer = "full-recovery";

    /// <summary>The job pod of a full recovery: its logs are the evidence of a failed restore.</summary>
    public static string FullRecoveryPodPrefix(string cluster) => $"{cluster}-1-full-recovery-";

    /// <summary>The secret with the restored cluster's application user (username, password, dbname, host, port, uri).</summary>
    public static string AppSecret(string cluster) => $"{cluster}-app";

    /// <summary>The secret with the postgres superuser, made when spec.enableSuperuserAccess is true.</summary>
    public static string SuperuserSecret(string cluster) => $"{cluster}-superuser";

    /// <summary>The port PostgreSQL listens on in every CNPG instance pod.</summary>
    public const int PostgresPort = 5432;
}
