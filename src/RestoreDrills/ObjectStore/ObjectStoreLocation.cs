using RestoreDrills.Reporting;

namespace RestoreDrills.ObjectStore;

/// <summary>
/// Where one server's backups and WAL live, in barman-cloud's terms: a destination path
/// (https://&lt;account&gt;.blob.core.windows.net/&lt;container&gt;, or the emulator form
/// http://host:port/&lt;account&gt;/&lt;container&gt;) and a server name (the folder under it).
/// The connection string is a secret: registered with <see cref="SecretMasker"/> on creation.
/// </summary>
public sealed record ObjectStoreLocation
{
    public ObjectStoreLocation(string destinationPath, string serverName, string connectionString)
    {
        DestinationPath = destinationPath;
        ServerName = serverName;
        ConnectionString = SecretMasker.Register(connectionString);
    }

    public string DestinationPath { get; }
    public string ServerName { get; }
    public string ConnectionString { get; }

    /// <summary>The environment barman-cloud reads its Azure credentials from.</summary>
    public IReadOnlyDictionary<string, string> CredentialsEnvironment =>
        new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = ConnectionString };
}
