using System.Diagnostics;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;
using Npgsql;
using RestoreDrills.Backups;
using RestoreDrills.Drills;
using RestoreDrills.ObjectStore;
using RestoreDrills.RecoveryTargets;

namespace RestoreDrills.Platforms.Containers;

/// <summary>
/// A NEW, empty container that becomes the restored server, step by step as CNPG's full-recovery job does:
/// download the base backup (barman-cloud-restore), write the recovery settings, start PostgreSQL, and wait
/// for the real end of recovery: promotion to a new timeline, not `pg_ctl start` returning.
/// </summary>
public sealed class RestoredInstance : IAsyncDisposable
{
    private const string DataDirectory = "/var/lib/postgresql/data";
    private const string RecoveryLog = "/var/lib/postgresql/recovery.log";
    private const ushort PostgresPort = 5432;

    /// <summary>PostgreSQL's own words when a target lies beyond the archived WAL (arrives after pg_ctl start returned).</summary>
    public const string TargetNotReachedMessage = "recovery ended before configured recovery target was reached";

    private readonly IContainer _container;
    private readonly BarmanCloudCommands _barman;
    private readonly string _user;
    private readonly string _password;
    private readonly string _database;

    private RestoredInstance(IContainer container, ObjectStoreLocation store, string user, string password, string database)
    {
        _container = container;
        _barman = new BarmanCloudCommands(store);
        _user = user;
        _password = password;
        _database = database;
    }

    /// <summary>
    /// Starts the empty container. The credentials are the source's: a restored server keeps its roles.
    /// The shell traps TERM so that removing the container never waits out Docker's 10 s stop grace.
    /// </summary>
    public static async Task<RestoredInstance> CreateAsync(string image, INetwork network, ObjectStoreLocation store,
        string user, string password, string database, IReadOnlyDictionary<string, string> labels, TimeSpan timeout, CancellationToken ct)
    {
        var container = new ContainerBuilder(image)
            .WithNetwork(network)
            .WithLogger(ContainerEnvironment.Logger)
            .WithLabel(labels)
            .WithPortBinding(PostgresPort, assignRandomHostPort: true)
            .WithEnvironment(store.CredentialsEnvironment)
            .WithCommand("bash", "-c", "trap 'exit 0' TERM INT; sleep infinity & wait")
            .Build();
        using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        startTimeout.CancelAfter(timeout);
        await container.StartAsync(startTimeout.Token);
        return new RestoredInstance(container, store, user, password, database);
    }

    /// <summary>barman-cloud-restore of the chosen base backup into the empty data directory.</summary>
    public async Task DownloadBaseBackupAsync(string backupId, TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await ContainerCommands.RunAsync(_container, _barman.Restore(backupId, DataDirectory), "barman-cloud-restore", limit.Token);
        }
        catch (ContainerCommandException e)
        {
            throw new DrillFailure(FailureCause.RestoreFailed, $"barman-cloud-restore of backup {backupId} failed: {e.Message}", e.Output);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DrillFailure(FailureCause.RestoreFailed,
                $"barman-cloud-restore of backup {backupId} did not finish within {timeout.TotalSeconds:0.###} s (RESTOREDRILLS_TIMEOUT_RESTORE_DOWNLOAD_SECONDS)");
        }
    }

    /// <summary>
    /// Writes the recovery settings (restore_command, target, promote, archive_mode=off) and recovery.signal.
    /// With walMaxParallel above 1, restore_command is the prefetching wrapper (<see cref="WalPrefetch"/>).
    /// </summary>
    public async Task<IReadOnlyList<string>> ConfigureRecoveryAsync(RecoveryTarget target, CancellationToken ct, int walMaxParallel = 1)
    {
        var settings = target.RecoverySettings(walMaxParallel > 1 ? WalPrefetch.RestoreCommand : _barman.WalRestoreCommand);
        var prefetch = walMaxParallel > 1 ? WalPrefetch.InstallScript(_barman, walMaxParallel, DataDirectory) + "\n" : "";
        var script = prefetch + $"cat >> {DataDirectory}/postgresql.auto.conf <<'RESTOREDRILLS_EOF'\n# RestoreDrills recovery settings\n"
                     + string.Join('\n', settings) + "\nRESTOREDRILLS_EOF\ntouch " + DataDirectory + "/recovery.signal";
        await ContainerCommands.ShellAsync(_container, script, "writing the recovery settings", ct);
        return settings;
    }

    /// <summary>
    /// Starts PostgreSQL and waits until it has left recovery. A server that stops instead is a failed restore,
    /// with PostgreSQL's own FATAL line as the cause; "target not reached" is told apart.
    /// </summary>
    public async Task<RecoveryResult> RecoverAsync(TimeSpan timeout, CancellationToken ct)
    {
        await ContainerCommands.RunAsync(_container,
            ["pg_ctl", "-D", DataDirectory, "-l", RecoveryLog, "-W", "start"], "pg_ctl start", ct);
        var watch = Stopwatch.StartNew();
        Exception? lastError = null;
        while (watch.Elapsed < timeout)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                await using var db = await OpenAsync(ct);
                await using var cmd = new NpgsqlCommand(
                    "SELECT pg_is_in_recovery(), pg_last_xact_replay_timestamp(), substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)", db);
                // pg_current_wal_lsn() errors during recovery; it is only read once promoted.
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                if (!reader.GetBoolean(0))
                    return new RecoveryResult(
                        reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1),
                        Convert.ToInt32(reader.GetString(2), 16));
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectNotInPrerequisiteState)
            {
                lastError = e; // still in recovery: pg_current_wal_lsn() is not allowed yet
            }
            catch (NpgsqlException e)
            {
                lastError = e; // not accepting connections yet, or stopped: ask the process
                if (!await IsRunningAsync(ct) && (watch.Elapsed > StartGrace || ShowsStop(await RecoveryLogAsync(ct))))
                    throw await RecoveryStoppedAsync(ct);
            }
            await Task.Delay(200, ct);
        }
        throw new DrillFailure(FailureCause.RestoreFailed,
            $"recovery did not end within {timeout.TotalSeconds:0.###} s (RESTOREDRILLS_TIMEOUT_RECOVERY_SECONDS); last answer: {lastError?.Message}",
            await RecoveryLogAsync(ct));
    }

    /// <summary>
    /// Right after `pg_ctl -W start` the server may not have written its pid file yet: "not running" counts as
    /// stopped only once the log says so, or after this grace.
    /// </summary>
    private static readonly TimeSpan StartGrace = TimeSpan.FromSeconds(10);

    private static bool ShowsStop(string log) =>
        log.Contains("FATAL:", StringComparison.Ordinal) || log.Contains("PANIC:", StringComparison.Ordinal)
        || log.Contains("database system is shut down", StringComparison.Ordinal);

    /// <summary>Runs a command in the restored server's container (tests tamper with its files; the benchmark restores by hand).</summary>
    public Task<ExecResult> ExecAsync(IList<string> command, CancellationToken ct) => _container.ExecAsync(command, ct);

    public async Task<string> RecoveryLogAsync(CancellationToken ct) =>
        (await _container.ExecAsync(["cat", RecoveryLog], ct)).Stdout;

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = _container.GetMappedPublicPort(PostgresPort), Database = _database,
            Username = _user, Password = _password, Pooling = false, Timeout = 5,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    private async Task<bool> IsRunningAsync(CancellationToken ct) =>
        (await _container.ExecAsync(["pg_ctl", "-D", DataDirectory, "status"], ct)).ExitCode == 0;

    private async Task<DrillFailure> RecoveryStoppedAsync(CancellationToken ct)
    {
        var log = await RecoveryLogAsync(ct);
        // A client's connection attempt refused during recovery logs a FATAL line too: the recovery's own line wins.
        var lines = log.Split('\n');
        var fatal = (lines.FirstOrDefault(l => l.Contains(TargetNotReachedMessage))
                     ?? lines.LastOrDefault(l => l.Contains("FATAL:") || l.Contains("PANIC:")))?.Trim();
        return log.Contains(TargetNotReachedMessage)
            ? new DrillFailure(FailureCause.TargetNotReached, $"PostgreSQL stopped during recovery: {fatal}", log)
            : new DrillFailure(FailureCause.RestoreFailed, $"PostgreSQL stopped during recovery: {fatal ?? "no FATAL line in the log"}", log);
    }

    public ValueTask DisposeAsync() => _container.DisposeAsync();
}

/// <summary>What the restored server says once promoted: its last replayed commit and its (new) timeline.</summary>
public sealed record RecoveryResult(DateTimeOffset? LastReplayedCommit, int Timeline);
