using RestoreDrills.Secrets;

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
        foreach (var secret in SecretParts(connectionString)) SecretMasker.Register(secret);
    }

    /// <summary>
    /// The parts of a connection string that are secrets on their own (a tool may print one without the rest):
    /// the account key, the SAS token, and the SAS signature in its encoded and decoded forms.
    /// </summary>
    public static IEnumerable<string> SecretParts(string connectionString)
    {
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = part.IndexOf('=');
            if (at <= 0) continue;
            var (name, value) = (part[..at].Trim(), part[(at + 1)..].Trim());
            if (value.Length < 6) continue;
            if (name.Equals("AccountKey", StringComparison.OrdinalIgnoreCase)) yield return value;
            if (!name.Equals("SharedAccessSignature", StringComparison.OrdinalIgnoreCase)) continue;
            yield return value.TrimStart('?');
            foreach (var parameter in value.TrimStart('?').Split('&'))
                if (parameter.StartsWith("sig=", StringComparison.Ordinal) && parameter.Length > 10)
                {
                    yield return parameter[4..];
                    yield return Uri.UnescapeDataString(parameter[4..]);
                }
        }
    }

    public string DestinationPath { get; }
    public string ServerName { get; }
    public string ConnectionString { get; }

    /// <summary>
    /// The store as text: where it is, never how to get in. (A record prints every member by default, the connection
    /// string too: interpolated into a message, or shown by a test assertion comparing two locations, it leaked.)
    /// </summary>
    public override string ToString() => $"{DestinationPath}/{ServerName}";

    /// <summary>The environment barman-cloud reads its Azure credentials from.</summary>
    public IReadOnlyDictionary<string, string> CredentialsEnvironment =>
        new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = ConnectionString };
}
