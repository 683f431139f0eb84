using RestoreDrills.Failures;
using RestoreDrills.ObjectStore;
using RestoreDrills.Secrets;

namespace RestoreDrills.Configuration;

/// <summary>
/// Credentials for an existing store, in the forms the runbook's CNPG secrets allow: a connection string, or the
/// account with its key, or the account with a SAS token. Every secret part is registered with the masker as
/// soon as it is read. barman-cloud and the SDK both get a connection string built for their endpoint.
/// </summary>
public sealed class StoreCredentials
{
    private readonly string? _connectionString;
    private readonly string? _key;
    private readonly string? _sasToken;

    private StoreCredentials(string? connectionString, string? key, string? sasToken, string form)
    {
        (_connectionString, _key, _sasToken, Form) = (connectionString, key, sasToken, form);
    }

    /// <summary>Which form was given (for the report; never the secret itself).</summary>
    public string Form { get; }

    public static StoreCredentials Read(SettingsReader settings)
    {
        var connectionString = settings.Raw(SettingsTable.StoreConnectionString);
        var key = settings.Raw(SettingsTable.StoreKey);
        var sas = settings.Raw(SettingsTable.StoreSasToken);
        foreach (var secret in new[] { connectionString, key, sas }.OfType<string>()) SecretMasker.Register(secret);
        if (connectionString is not null)
            foreach (var part in ObjectStoreLocation.SecretParts(connectionString)) SecretMasker.Register(part);
        if (sas is not null)
            foreach (var part in ObjectStoreLocation.SecretParts($"SharedAccessSignature={sas}")) SecretMasker.Register(part);

        var given = new[] { connectionString, key, sas }.Count(v => v is not null);
        if (given != 1)
            throw new InvalidSettingException(
                $"give exactly one of RESTOREDRILLS_STORE_CONNECTION_STRING, RESTOREDRILLS_STORE_KEY or RESTOREDRILLS_STORE_SAS_TOKEN ({given} given): " +
                "the runbook's secret holds a connection string, a storage key or a SAS token");
        return connectionString is not null ? new StoreCredentials(connectionString, null, null, "connection string")
            : key is not null ? new StoreCredentials(null, key, null, "storage account key")
            : new StoreCredentials(null, null, sas!.TrimStart('?'), "SAS token");
    }

    /// <summary>
    /// A connection string for <paramref name="address"/>'s endpoint as seen from where it is used. A given
    /// connection string is used as it is, except that its BlobEndpoint follows the address (host vs containers).
    /// </summary>
    public string ConnectionStringFor(StoreAddress address)
    {
        var endpoint = $"BlobEndpoint={address.BlobEndpoint};";
        string result;
        if (_key is not null)
            result = $"DefaultEndpointsProtocol={new Uri(address.BlobEndpoint).Scheme};AccountName={address.Account};AccountKey={_key};{endpoint}";
        else if (_sasToken is not null)
            result = $"{endpoint}SharedAccessSignature={_sasToken}";
        else
        {
            var parts = _connectionString!.Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Where(p => !p.Trim().StartsWith("BlobEndpoint=", StringComparison.OrdinalIgnoreCase));
            result = string.Join(';', parts) + ";" + endpoint;
        }
        return SecretMasker.Register(result);
    }
}
