using RestoreDrills.RecoveryTargets;

namespace RestoreDrills.Platforms.Cnpg.Manifests;

/// <summary>
/// What a restored cluster is made from: its own unique name, the source's backups (server name and how the
/// object store is reached) and the recovery target.
/// </summary>
public sealed record RestoreRequest
{
    public required string ClusterName { get; init; }
    public required string Namespace { get; init; }
    public required string RunId { get; init; }
    public required RecoveryTarget Target { get; init; }
    /// <summary>The source's folder in the object store, read only: the restored cluster never archives.</summary>
    public required string SourceServerName { get; init; }
    public required BackupMethod Method { get; init; }
    public string DestinationPath { get; init; } = "";
    public AzureCredentialsKind Credentials { get; init; } = AzureCredentialsKind.ConnectionString;
    public string CredentialsSecret { get; init; } = "";
    public string ObjectStore { get; init; } = "";
    /// <summary>The image to restore with: the source's, so the restored server runs the major version that wrote the backup.</summary>
    public required RestoreImage Image { get; init; }
    /// <summary>bootstrap.recovery.database / owner: where the data lives, so the app secret opens it.</summary>
    public string Database { get; init; } = "app";
    public string Owner { get; init; } = "app";
    public string StorageSize { get; init; } = "1Gi";
    /// <summary>externalClusters[].barmanObjectStore.wal.maxParallel (the plugin's ObjectStore holds its own).</summary>
    public WalParallelism Wal { get; init; } = new(1, "CNPG's default");

    /// <summary>The externalClusters entry's name: the source as the restored cluster sees it.</summary>
    public string ExternalClusterName => "origin";
}
