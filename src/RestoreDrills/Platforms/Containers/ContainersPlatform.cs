using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Networks;
using RestoreDrills.Configuration;
using RestoreDrills.ObjectStore;

namespace RestoreDrills.Platforms.Containers;

/// <summary>
/// The throwaway-containers platform of one drill run: a bridge network of its own, Azurite as the Azure Blob
/// endpoint, and the PostgreSQL containers the drills start on it. Disposing it removes every container and
/// the network, and a sweep by the run's label catches anything a failed start left half-made.
/// </summary>
public sealed class ContainersPlatform : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _instances = [];
    private readonly INetwork _network;

    private ContainersPlatform(string runId, DrillSettings settings, INetwork network, AzuriteObjectStore store)
    {
        RunId = runId;
        Settings = settings;
        _network = network;
        Store = store;
    }

    /// <summary>The bridge driver's default host address for published ports.</summary>
    public const string LoopbackBindingOption = "com.docker.network.bridge.host_binding_ipv4";

    public string RunId { get; }
    public DrillSettings Settings { get; }
    public AzuriteObjectStore Store { get; }
    public IReadOnlyDictionary<string, string> Labels => ResourceLabels.For(RunId);

    public static async Task<ContainersPlatform> StartAsync(DrillSettings settings, string runId, CancellationToken ct)
    {
        var labels = ResourceLabels.For(runId);
        var network = new NetworkBuilder().WithName($"restoredrills-{runId}").WithLabel(labels).WithLogger(ContainerEnvironment.Logger)
            // A user-defined network ignores dockerd's --ip: without this, published ports listen on 0.0.0.0 and [::].
            .WithOption(LoopbackBindingOption, "127.0.0.1")
            .Build();
        try
        {
            await network.CreateAsync(ct);
            var store = await AzuriteObjectStore.StartAsync(settings.AzuriteImage, network, labels, settings.Timeouts.ContainerStart, ct);
            return new ContainersPlatform(runId, settings, network, store);
        }
        catch
        {
            await ResourceSweeper.SweepRunAsync(runId, CancellationToken.None);
            throw;
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _serverNames = new();

    /// <summary>
    /// A server name no other drill of this run uses ("time-&lt;run&gt;", then "time-&lt;run&gt;-2", ...): each drill
    /// archives under its own path, so no two drills ever mix their WAL.
    /// </summary>
    public string NewServerName(string prefix)
    {
        var n = _serverNames.AddOrUpdate(prefix, 1, (_, count) => count + 1);
        return n == 1 ? $"{prefix}-{RunId}" : $"{prefix}-{RunId}-{n}";
    }

    /// <summary>A source archiving under its own server name, so no two drills share an archive path.</summary>
    /// <param name="image">another PostgreSQL image than the run's (the upgrade drills' writing side)</param>
    public async Task<SourceInstance> StartSourceAsync(string serverName, CancellationToken ct, string? image = null) =>
        Track(await SourceInstance.StartAsync(image ?? Settings.PostgresImage, _network, Store.LocationFor(serverName), Labels,
            Settings.Timeouts.ContainerStart, ct));

    /// <summary>
    /// A new, empty server of <paramref name="image"/> whose barman-cloud runs in a sidecar of <paramref name="barmanImage"/>
    /// (see <see cref="BarmanSidecar"/>): a backup restored by another barman-cloud version than the one that wrote it.
    /// </summary>
    public async Task<RestoredInstance> CreateRestoredWithSidecarAsync(SourceInstance source, string image, string barmanImage, CancellationToken ct) =>
        Track(await RestoredInstance.CreateWithSidecarAsync(image, barmanImage, _network, source.Store,
            SourceInstance.Superuser, source.Password, SourceInstance.Database, Labels, Settings.Timeouts.ContainerStart, ct));

    /// <summary>A new, empty server to restore the source's backups into (from <paramref name="store"/> when given).</summary>
    public async Task<RestoredInstance> CreateRestoredAsync(SourceInstance source, CancellationToken ct, ObjectStoreLocation? store = null) =>
        Track(await RestoredInstance.CreateAsync(Settings.PostgresImage, _network, store ?? source.Store,
            SourceInstance.Superuser, source.Password, SourceInstance.Database, Labels, Settings.Timeouts.ContainerStart, ct));

    /// <summary>A new, empty server for a backup of a server the drill did not start (see <see cref="RestoredInstance.CreateForStoreAsync"/>).</summary>
    public async Task<RestoredInstance> CreateRestoredForStoreAsync(string image, string? storeNetwork, ObjectStoreLocation store,
        string superuser, string database, CancellationToken ct) =>
        Track(await RestoredInstance.CreateForStoreAsync(image, _network, storeNetwork, store, superuser, database, Labels, Settings.Timeouts.ContainerStart, ct));

    private T Track<T>(T instance) where T : IAsyncDisposable
    {
        lock (_instances) _instances.Add(instance);
        return instance;
    }

    public async ValueTask DisposeAsync()
    {
        List<IAsyncDisposable> instances;
        lock (_instances) { instances = [.. _instances]; _instances.Clear(); }
        foreach (var instance in instances)
            await DisposeQuietly(instance);
        await DisposeQuietly(Store);
        await DisposeQuietly(_network);
        // Whatever a half-finished start left behind (a container created but never tracked).
        await ResourceSweeper.SweepRunAsync(RunId, CancellationToken.None);
    }

    private static async Task DisposeQuietly(IAsyncDisposable resource)
    {
        try { await resource.DisposeAsync(); }
        catch (Exception) { /* the label sweep that follows removes it */ }
    }
}
