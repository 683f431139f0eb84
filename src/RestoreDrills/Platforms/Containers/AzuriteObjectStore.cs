using Azure.Storage.Blobs;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;
using RestoreDrills.ObjectStore;
using RestoreDrills.Secrets;

namespace RestoreDrills.Platforms.Containers;

/// <summary>
/// Azurite, Microsoft's Azure Storage emulator, as the Azure Blob endpoint of the drills: reached by the
/// PostgreSQL containers as http://azurite:10000 over the run's network, and by the test process through a
/// port published on 127.0.0.1.
/// </summary>
public sealed class AzuriteObjectStore : IAsyncDisposable
{
    public const string NetworkAlias = "azurite";
    public const ushort BlobPort = 10000;
    public const string Account = "devstoreaccount1";
    public const string BlobContainer = "backups";

    // Azurite's documented development-account key: public, but still handled as a secret (masked everywhere),
    // so the same code path is proven for a real account's key.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly IContainer _container;

    private AzuriteObjectStore(IContainer container) => _container = container;

    public static async Task<AzuriteObjectStore> StartAsync(string image, INetwork network, IReadOnlyDictionary<string, string> labels,
        TimeSpan timeout, CancellationToken ct)
    {
        SecretMasker.Register(AccountKey);
        var container = new ContainerBuilder(image)
            .WithNetwork(network)
            .WithLogger(ContainerEnvironment.Logger)
            .WithNetworkAliases(NetworkAlias)
            .WithPortBinding(BlobPort, assignRandomHostPort: true)
            .WithLabel(labels)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("successfully listens"))
            .Build();
        var store = new AzuriteObjectStore(container);
        using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        startTimeout.CancelAfter(timeout);
        await container.StartAsync(startTimeout.Token);
        await new BlobContainerClient(store.HostConnectionString, BlobContainer).CreateIfNotExistsAsync(cancellationToken: ct);
        return store;
    }

    /// <summary>barman's destinationPath, emulator form, as seen from inside the run's network.</summary>
    public string DestinationPath => $"http://{NetworkAlias}:{BlobPort}/{Account}/{BlobContainer}";

    /// <summary>The same destinationPath as the test process reaches it (through the published loopback port).</summary>
    public string HostDestinationPath => $"http://127.0.0.1:{_container.GetMappedPublicPort(BlobPort)}/{Account}/{BlobContainer}";

    /// <summary>Credentials for the PostgreSQL containers (inside the run's network).</summary>
    public string NetworkConnectionString => ConnectionString($"http://{NetworkAlias}:{BlobPort}/{Account}");

    /// <summary>Credentials for the test process (through the published loopback port).</summary>
    public string HostConnectionString => ConnectionString($"http://127.0.0.1:{_container.GetMappedPublicPort(BlobPort)}/{Account}");

    /// <summary>A location for one server: each drill archives under its own server name, so paths never collide.</summary>
    public ObjectStoreLocation LocationFor(string serverName) => new(DestinationPath, serverName, NetworkConnectionString);

    public BlobContainerClient Blobs => new(HostConnectionString, BlobContainer);

    private static string ConnectionString(string blobEndpoint) =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={AccountKey};BlobEndpoint={blobEndpoint};";

    public ValueTask DisposeAsync() => _container.DisposeAsync();
}
