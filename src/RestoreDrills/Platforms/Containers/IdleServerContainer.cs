using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;
using DotNet.Testcontainers.Volumes;
using RestoreDrills.ObjectStore;

namespace RestoreDrills.Platforms.Containers;

/// <summary>
/// A container of a PostgreSQL image whose server the drill starts itself (pg_ctl) once its data directory is made: a
/// restored server (barman-cloud-restore) or a standby (pg_basebackup). It idles until then, with the store's credentials
/// in its environment and 5432 published on loopback. The shell traps TERM so that removing it never waits out
/// Docker's 10 s stop grace.
/// </summary>
public static class IdleServerContainer
{
    public const ushort PostgresPort = 5432;

    /// <param name="alias">its name on the network, for a server that others connect to (a standby's primary)</param>
    /// <param name="home">PostgreSQL's home on a volume a sidecar shares (Docker fills a new volume with the image's empty data directory)</param>
    /// <param name="environment">more variables besides the store's credentials (e.g. PGPASSWORD for pg_basebackup)</param>
    public static async Task<IContainer> StartAsync(string image, INetwork network, ObjectStoreLocation store, IReadOnlyDictionary<string, string> labels,
        TimeSpan timeout, CancellationToken ct, string? alias = null, IVolume? home = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var builder = new ContainerBuilder(image)
            .WithNetwork(network)
            .WithLogger(ContainerEnvironment.Logger)
            .WithLabel(labels)
            .WithPortBinding(PostgresPort, assignRandomHostPort: true)
            .WithEnvironment(store.CredentialsEnvironment)
            .WithCommand("bash", "-c", "trap 'exit 0' TERM INT; sleep infinity & wait");
        if (alias is not null) builder = builder.WithNetworkAliases(alias);
        if (home is not null) builder = builder.WithVolumeMount(home, BarmanSidecar.Home);
        if (environment is not null) builder = builder.WithEnvironment(environment);
        var container = builder.Build();
        using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        startTimeout.CancelAfter(timeout);
        try
        {
            await container.StartAsync(startTimeout.Token);
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
        return container;
    }
}
