using RestoreDrills.ObjectStore;

namespace RestoreDrills.Backups;

/// <summary>
/// The barman-cloud command lines a drill runs, the same tools CloudNative-PG runs inside its instances.
/// Credentials are never on a command line: barman-cloud reads AZURE_STORAGE_CONNECTION_STRING.
/// </summary>
public sealed class BarmanCloudCommands(ObjectStoreLocation store)
{
    private const string Provider = "azure-blob-storage";

    /// <summary>archive_command: gzip, as the runbook's clusters archive.</summary>
    public string WalArchiveCommand =>
        $"barman-cloud-wal-archive --cloud-provider {Provider} --gzip {store.DestinationPath} {store.ServerName} %p";

    /// <summary>barman-cloud-wal-restore up to its two last arguments (WAL file name, destination path).</summary>
    public string WalRestoreProgram =>
        $"barman-cloud-wal-restore --cloud-provider {Provider} {store.DestinationPath} {store.ServerName}";

    public IList<string> Backup(string user, string database) =>
    [
        "barman-cloud-backup", "--cloud-provider", Provider, "--gzip", "--immediate-checkpoint",
        "--user", user, "--host", "/var/run/postgresql", "--dbname", database,
        store.DestinationPath, store.ServerName,
    ];

    /// <summary>Exits non-zero when the server's WAL path already holds WAL (CNPG runs it before a new cluster archives).</summary>
    public IList<string> CheckWalArchive() =>
        ["barman-cloud-check-wal-archive", "--cloud-provider", Provider, store.DestinationPath, store.ServerName];

    public IList<string> BackupList() =>
        ["barman-cloud-backup-list", "--cloud-provider", Provider, "--format", "json", store.DestinationPath, store.ServerName];

    public IList<string> Restore(string backupId, string dataDirectory) =>
        ["barman-cloud-restore", "--cloud-provider", Provider, store.DestinationPath, store.ServerName, backupId, dataDirectory];
}
