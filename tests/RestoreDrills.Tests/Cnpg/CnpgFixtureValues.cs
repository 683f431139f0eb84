namespace RestoreDrills.Tests.Cnpg;

/// <summary>Values the CNPG tests render fixtures with: shaped like the runbook's, nothing secret in them.</summary>
public static class CnpgFixtureValues
{
    /// <summary>The targets the CNPG drill tests restore to: every kind but xid, which needs a transaction made on the source.</summary>
    public static readonly RecoveryTargetKind[] TargetKinds =
        [RecoveryTargetKind.Time, RecoveryTargetKind.Lsn, RecoveryTargetKind.Name, RecoveryTargetKind.Immediate, RecoveryTargetKind.Latest];

    public const string Namespace = "drills";
    public const string SourceCluster = "pg-prod";
    public const string CredentialsSecret = "azure-backup-credentials";
    public const string DestinationPath = "https://prodbackups.blob.core.windows.net/cnpg";

    public static IReadOnlyDictionary<string, string> Source { get; } = new Dictionary<string, string>
    {
        ["SOURCE_CLUSTER"] = SourceCluster,
        ["NAMESPACE"] = Namespace,
        ["POSTGRES_IMAGE"] = "ghcr.io/cloudnative-pg/postgresql:16.1", // the runbook's cluster
        ["STORAGE_SIZE"] = "10Gi",
        ["DESTINATION_PATH"] = DestinationPath,
        ["SOURCE_SERVER_NAME"] = SourceCluster,
        ["CREDENTIALS_SECRET"] = CredentialsSecret,
        ["SCHEDULED_BACKUP"] = "pg-prod-nightly",
        ["OBJECT_STORE_NAME"] = "pg-prod-store",
    };

    /// <summary>One target of each kind, with the backup id where CNPG requires it.</summary>
    public static IEnumerable<RecoveryTarget> EveryTarget()
    {
        const string backupId = "20261125T010002";
        yield return RecoveryTarget.Time(new DateTimeOffset(2026, 11, 25, 18, 34, 40, TimeSpan.Zero).AddTicks(6202390));
        yield return RecoveryTarget.Lsn("0/5000060");
        yield return RecoveryTarget.Xid(771, backupId);
        yield return RecoveryTarget.Name("restoredrills-before-change", backupId);
        yield return RecoveryTarget.Immediate(backupId);
        yield return RecoveryTarget.Latest();
    }

    public static RestoreRequest Restore(RecoveryTarget target, BackupMethod method, AzureCredentialsKind credentials = AzureCredentialsKind.ConnectionString) => new()
    {
        ClusterName = $"rd-{target.Kind.Id()}-1125183440-a1b2c3",
        Namespace = Namespace,
        RunId = "1125183440-a1b2c3",
        Target = target,
        SourceServerName = SourceCluster,
        Method = method,
        DestinationPath = DestinationPath,
        Credentials = credentials,
        CredentialsSecret = CredentialsSecret,
        Image = RestoreImage.Named("ghcr.io/cloudnative-pg/postgresql:16.1", "the runbook's cluster"),
        ObjectStore = "pg-prod-store",
    };
}
