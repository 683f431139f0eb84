using System.Diagnostics;
using Dapper;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;
using Npgsql;
using RestoreDrills.Backups;
using RestoreDrills.Failures;
using RestoreDrills.ObjectStore;
using Testcontainers.PostgreSql;
using RestoreDrills.Secrets;

namespace RestoreDrills.Platforms.Containers;

/// <summary>
/// The source: PostgreSQL 15 with production-like durability and data checksums, archiving every WAL segment
/// with barman-cloud-wal-archive (gzip) to the object store, as a CNPG instance does. It can switch over as a CNPG
/// cluster does on a rolling update, or be restored from its own archive (SourceInstance.TimelineChanges.cs): from then
/// on, its primary is the promoted server.
/// </summary>
public sealed partial class SourceInstance : IAsyncDisposable
{
    public const string Database = "app";
    public const string Superuser = "postgres";

    private readonly BarmanCloudCommands _barman;
    private readonly string _image;
    private readonly INetwork _network;
    private readonly IReadOnlyDictionary<string, string> _labels;
    private readonly List<IContainer> _formerPrimaries = [];

    /// <summary>The container that is the primary now: the first one, or the standby the last switchover promoted.</summary>
    private IContainer _primary;

    private SourceInstance(IContainer container, string image, INetwork network, IReadOnlyDictionary<string, string> labels,
        ObjectStoreLocation store, string password)
    {
        _primary = container;
        _image = image;
        _network = network;
        _labels = labels;
        Store = store;
        Password = password;
        _barman = new BarmanCloudCommands(store);
    }

    public ObjectStoreLocation Store { get; }
    public string Password { get; }

    /// <summary>The timeline changes so far, each with the timeline it left and the one it promoted.</summary>
    public IReadOnlyList<TimelineChange> TimelineChanges => _changes;

    private readonly List<TimelineChange> _changes = [];

    /// <summary>The n-th server of a source on the network (1: the first primary), so a standby can reach its primary.</summary>
    private static string NodeAlias(string serverName, int n) => $"{serverName}-node{n}";

    public static async Task<SourceInstance> StartAsync(string image, INetwork network, ObjectStoreLocation store,
        IReadOnlyDictionary<string, string> labels, TimeSpan timeout, CancellationToken ct)
    {
        var password = SecretMasker.Register("pw-" + Guid.NewGuid().ToString("N"));
        var barman = new BarmanCloudCommands(store);
        var container = new PostgreSqlBuilder(image)
            .WithDatabase(Database)
            .WithUsername(Superuser)
            .WithPassword(password)
            .WithNetwork(network)
            .WithNetworkAliases(NodeAlias(store.ServerName, 1))
            .WithLogger(ContainerEnvironment.Logger)
            .WithLabel(labels)
            .WithEnvironment("POSTGRES_INITDB_ARGS", "--data-checksums")
            .WithEnvironment(store.CredentialsEnvironment)
            // The module turns durability off for speed; a restore drill must run its source as production does.
            // Later -c arguments win, so these override the module's fsync/full_page_writes/synchronous_commit=off.
            .WithCommand("-c", "fsync=on", "-c", "full_page_writes=on", "-c", "synchronous_commit=on")
            .WithCommand("-c", "wal_level=replica", "-c", "archive_mode=on", "-c", "archive_command=" + barman.WalArchiveCommand)
            .Build();
        using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        startTimeout.CancelAfter(timeout);
        await container.StartAsync(startTimeout.Token);
        // As CNPG does for a new cluster ("Expected empty archive"): a drill never archives into a path that holds
        // WAL already, which would mix its WAL with another server's. Checked before the first segment completes.
        var check = await container.ExecAsync(barman.CheckWalArchive(), ct);
        if (check.ExitCode != 0)
        {
            await container.DisposeAsync();
            var said = (check.Stderr + check.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            throw new DrillFailure(FailureCause.WalArchivingFailed,
                $"Expected empty archive: {store.DestinationPath}/{store.ServerName} already holds WAL, the source will not archive into it ({said})",
                check.Stderr + check.Stdout);
        }
        return new SourceInstance(container, image, network, labels, store, password);
    }

    /// <summary>A connection to the primary as it is now (after a switchover: the promoted standby).</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(ConnectionString(_primary));
        await connection.OpenAsync(ct);
        return connection;
    }

    private string ConnectionString(IContainer server) => new NpgsqlConnectionStringBuilder
    {
        Host = server.Hostname, Port = server.GetMappedPublicPort(IdleServerContainer.PostgresPort), Database = Database,
        Username = Superuser, Password = Password,
    }.ConnectionString;

    /// <summary>The settings that make the source a fair test (durability, checksums, archiving), as evidence.</summary>
    public async Task<IReadOnlyDictionary<string, string>> DurabilitySettingsAsync(CancellationToken ct)
    {
        await using var db = await OpenAsync(ct);
        var rows = await db.QueryAsync<(string Name, string Setting)>(
            "SELECT name, setting FROM pg_settings WHERE name = ANY(@names) ORDER BY name",
            new { names = new[] { "fsync", "full_page_writes", "synchronous_commit", "data_checksums", "wal_level", "archive_mode", "server_version" } });
        return rows.ToDictionary(r => r.Name, r => r.Setting);
    }

    /// <summary>The barman-cloud version inside the source image (e.g. "barman-cloud-backup 3.4.0").</summary>
    public async Task<string> BarmanVersionAsync(CancellationToken ct)
    {
        var run = await _primary.ExecAsync(["barman-cloud-backup", "--version"], ct);
        // An image without barman-cloud cannot archive or back up: a setting to fix, said as such.
        if (run.ExitCode != 0)
            throw new RestoreDrills.Failures.InvalidSettingException(
                $"the image {_image} has no working barman-cloud (barman-cloud-backup --version exited {run.ExitCode}: " +
                $"{(run.Stderr + run.Stdout).Trim().Split('\n')[0]}): use an image with PostgreSQL and barman-cli-cloud");
        return run.Stdout.Trim();
    }

    /// <summary>Takes a base backup with barman-cloud-backup (gzip) and returns it as the store lists it.</summary>
    public async Task<BackupRun> BackUpAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        var watch = Stopwatch.StartNew();
        try
        {
            await ContainerCommands.RunAsync(_primary, _barman.Backup(Superuser, Database), "barman-cloud-backup", limit.Token);
        }
        catch (ContainerCommandException e)
        {
            throw new DrillFailure(FailureCause.BackupFailed, $"barman-cloud-backup failed: {e.Message}", e.Output);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DrillFailure(FailureCause.BackupFailed, $"barman-cloud-backup did not complete within {timeout.TotalSeconds:0.###} s (RESTOREDRILLS_TIMEOUT_BACKUP_SECONDS)");
        }
        var duration = watch.Elapsed;
        var listing = await ListBackupsAsync(ct);
        var backups = BaseBackup.ParseListing(listing);
        var newest = backups.Where(b => b.Status == "DONE").MaxBy(b => b.EndTime)
            ?? throw new DrillFailure(FailureCause.BackupFailed, "barman-cloud-backup exited 0 but the store lists no completed backup", listing);
        return new BackupRun(newest, duration, listing);
    }

    public async Task<string> ListBackupsAsync(CancellationToken ct) =>
        (await ContainerCommands.RunAsync(_primary, _barman.BackupList(), "barman-cloud-backup-list", ct)).Stdout;

    /// <summary>
    /// Closes the current WAL segment and waits until pg_stat_archiver reports it archived (not a sleep).
    /// Returns the archive lag: switch until archived.
    /// </summary>
    public async Task<TimeSpan> SwitchWalAndWaitArchivedAsync(TimeSpan timeout, CancellationToken ct)
    {
        await using var db = await OpenAsync(ct);
        return await WalSwitch.SwitchAndWaitArchivedAsync(db, timeout, Configuration.SettingsTable.TimeoutWalArchived.Name, Configuration.SettingsTable.ArchiverPoll.DefaultDuration, ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var former in _formerPrimaries) await former.DisposeAsync();
        await _primary.DisposeAsync();
    }
}
