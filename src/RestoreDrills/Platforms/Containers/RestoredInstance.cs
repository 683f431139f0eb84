using System.Diagnostics;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;
using DotNet.Testcontainers.Volumes;
using Npgsql;
using RestoreDrills.Backups;
using RestoreDrills.Failures;
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
    private const ushort PostgresPort = IdleServerContainer.PostgresPort;

    /// <summary>PostgreSQL's own words when a target lies beyond the archived WAL (arrives after pg_ctl start returned).</summary>
    public const string TargetNotReachedMessage = "recovery ended before configured recovery target was reached";

    private readonly IContainer _container;
    private readonly BarmanCloudCommands _barman;
    private readonly string _user;
    private readonly string _password;
    private readonly string _database;

    /// <summary>
    /// Set for a server restored from a store whose roles' passwords the drill does not know: recovery is then
    /// watched through the local socket as this superuser, and a verifier role is made once promoted.
    /// </summary>
    private readonly string? _localSuperuser;

    /// <summary>The published port when Testcontainers' record of it is stale (see <see cref="CreateForStoreAsync"/>).</summary>
    private ushort? _hostPort;

    /// <summary>barman-cloud of another image beside the server (the upgrade drills), and the volume they share; else null.</summary>
    private BarmanSidecar? _sidecar;
    private IVolume? _volume;

    private RestoredInstance(IContainer container, ObjectStoreLocation store, string user, string password, string database, string? localSuperuser = null)
    {
        _container = container;
        _barman = new BarmanCloudCommands(store);
        _user = user;
        _password = password;
        _database = database;
        _localSuperuser = localSuperuser;
    }

    /// <summary>The role a server restored from an existing store is verified with: made by the drill, after promotion.</summary>
    public const string VerifierRole = "restoredrills_verifier";

    /// <summary>Starts the empty container (<see cref="IdleServerContainer"/>). The credentials are the source's: a restored server keeps its roles.</summary>
    public static async Task<RestoredInstance> CreateAsync(string image, INetwork network, ObjectStoreLocation store,
        string user, string password, string database, IReadOnlyDictionary<string, string> labels, TimeSpan timeout, CancellationToken ct) =>
        new(await StartContainerAsync(image, network, store, labels, timeout, ct), store, user, password, database);

    /// <summary>
    /// The same, with barman-cloud from <paramref name="barmanImage"/> in a sidecar (<see cref="BarmanSidecar"/>): it
    /// downloads the base backup and fetches the WAL; the server of <paramref name="image"/> only replays.
    /// </summary>
    public static async Task<RestoredInstance> CreateWithSidecarAsync(string image, string barmanImage, INetwork network, ObjectStoreLocation store,
        string user, string password, string database, IReadOnlyDictionary<string, string> labels, TimeSpan timeout, CancellationToken ct)
    {
        var volume = BarmanSidecar.NewVolume(labels);
        await volume.CreateAsync(ct);
        IContainer? container = null;
        try
        {
            container = await StartContainerAsync(image, network, store, labels, timeout, ct, volume);
            var uid = (await ContainerCommands.RunAsync(container, ["id", "-u"], "id -u", ct)).Stdout.Trim();
            var gid = (await ContainerCommands.RunAsync(container, ["id", "-g"], "id -g", ct)).Stdout.Trim();
            var sidecar = await BarmanSidecar.StartAsync(barmanImage, volume, network, store, uid, gid, labels, timeout, ct);
            return new RestoredInstance(container, store, user, password, database) { _sidecar = sidecar, _volume = volume };
        }
        catch
        {
            if (container is not null) await container.DisposeAsync();
            await volume.DisposeAsync();
            throw;
        }
    }

    /// <summary>True when barman-cloud runs in a sidecar (the upgrade drills) rather than in this container.</summary>
    public bool HasSidecar => _sidecar is not null;

    /// <summary>The sidecar's barman-cloud, which restores (e.g. "barman-cloud-restore 3.13.3"); only with a sidecar.</summary>
    public Task<string> SidecarBarmanVersionAsync(CancellationToken ct) =>
        (_sidecar ?? throw new InvalidOperationException("this restored server has no barman-cloud sidecar")).BarmanVersionAsync(ct);

    /// <summary>
    /// An empty container for a backup of a server the drill did not start: its roles' passwords are unknown, so
    /// the drill verifies as its own role (<see cref="VerifierRole"/>, a random password) made after promotion
    /// through the local socket as <paramref name="superuser"/>. <paramref name="storeNetwork"/>: a Docker
    /// network the store is reached on (Azurite in a container), joined besides the run's own.
    /// </summary>
    public static async Task<RestoredInstance> CreateForStoreAsync(string image, INetwork network, string? storeNetwork, ObjectStoreLocation store,
        string superuser, string database, IReadOnlyDictionary<string, string> labels, TimeSpan timeout, CancellationToken ct)
    {
        var container = await StartContainerAsync(image, network, store, labels, timeout, ct);
        ushort? hostPort = null;
        if (storeNetwork is not null)
        {
            using var docker = DockerEngine.CreateClient();
            await docker.Networks.ConnectNetworkAsync(storeNetwork, new Docker.DotNet.Models.NetworkConnectParameters { Container = container.Id }, ct);
            // Joining a network can move the published port (Docker re-binds it on the new default-gateway network).
            var inspect = await docker.Containers.InspectContainerAsync(container.Id, ct);
            hostPort = ushort.Parse(inspect.NetworkSettings!.Ports![$"{PostgresPort}/tcp"]!.Single(b => b.HostIP == "127.0.0.1").HostPort,
                System.Globalization.CultureInfo.InvariantCulture);
        }
        var password = RestoreDrills.Secrets.SecretMasker.Register(Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
        return new RestoredInstance(container, store, VerifierRole, password, database, superuser) { _hostPort = hostPort };
    }

    private static Task<IContainer> StartContainerAsync(string image, INetwork network, ObjectStoreLocation store,
        IReadOnlyDictionary<string, string> labels, TimeSpan timeout, CancellationToken ct, IVolume? home = null) =>
        IdleServerContainer.StartAsync(image, network, store, labels, timeout, ct, home: home);

    /// <summary>barman-cloud-restore of the chosen base backup into the empty data directory.</summary>
    public async Task DownloadBaseBackupAsync(string backupId, TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            if (_sidecar is not null) await _sidecar.RestoreAsync(backupId, DataDirectory, limit.Token);
            else await ContainerCommands.RunAsync(_container, _barman.Restore(backupId, DataDirectory), "barman-cloud-restore", limit.Token);
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
        // barman-cloud-restore 3.4 exits 0 on a data.tar.gz whose stream breaks mid-way: tar reads garbage as the
        // end of the archive and the directory is left partial (measured). pg_controldata proves pg_control is there and intact.
        var control = await _container.ExecAsync(["pg_controldata", "-D", DataDirectory], ct);
        if (control.ExitCode != 0)
        {
            var files = (await _container.ExecAsync(["bash", "-c", $"find {DataDirectory} -type f | wc -l"], ct)).Stdout.Trim();
            throw new DrillFailure(FailureCause.RestoreFailed,
                $"barman-cloud-restore of backup {backupId} exited 0, but the data directory is incomplete ({files} files): " +
                control.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(), control.Stderr);
        }
    }

    /// <summary>
    /// Writes the recovery settings (restore_command, target, promote, archive_mode=off) and recovery.signal.
    /// restore_command fetches WAL as CNPG's instance manager does, <paramref name="walMaxParallel"/> segments at a
    /// time (<see cref="CnpgWalRestore"/>); with a sidecar, the sidecar's barman-cloud answers instead.
    /// </summary>
    public async Task<IReadOnlyList<string>> ConfigureRecoveryAsync(RecoveryTarget target, CancellationToken ct, int walMaxParallel = 1)
    {
        var settings = target.RecoverySettings(_sidecar is not null ? BarmanSidecar.RestoreCommand : CnpgWalRestore.RestoreCommand);
        // A new cluster's first instance: no streaming to hand over to, so no end-of-WAL-stream flag (as CNPG).
        var install = _sidecar is null ? CnpgWalRestore.InstallScript(_barman, walMaxParallel, endOfWalStreamFlag: false, DataDirectory) + "\n" : "";
        var script = install + $"cat >> {DataDirectory}/postgresql.auto.conf <<'END_OF_SETTINGS'\n# RestoreDrills recovery settings\n"
                     + string.Join('\n', settings) + "\nEND_OF_SETTINGS\ntouch " + DataDirectory + "/recovery.signal";
        await ContainerCommands.ShellAsync(_container, script, "writing the recovery settings", ct);
        return settings;
    }

    /// <summary>What restore_command did so far: every request PostgreSQL made and every barman-cloud-wal-restore call.</summary>
    public async Task<WalRestoreLog> WalRestoreLogAsync(CancellationToken ct) =>
        WalRestoreLog.Parse((await _container.ExecAsync(["cat", CnpgWalRestore.LogPath], ct)).Stdout);

    /// <summary>
    /// For a data directory from another platform (a CNPG instance): settings that point outside the container
    /// (sockets, certificates, log collector, preload libraries) are overridden, and authentication becomes
    /// local trust plus passwords over TCP. The originals stay in the data directory, untouched.
    /// postgresql.auto.conf is read last, so these lines win over postgresql.conf and its includes.
    /// </summary>
    public async Task<IReadOnlyList<string>> MakeStandaloneAsync(CancellationToken ct)
    {
        string[] settings =
        [
            "listen_addresses = '*'", $"port = {PostgresPort}", "unix_socket_directories = '/var/run/postgresql'",
            "ssl = off", "logging_collector = off", "shared_preload_libraries = ''",
            $"hba_file = '{StandaloneHba}'", $"ident_file = '{StandaloneIdent}'",
        ];
        var script = $"printf 'local all all trust\\nhost all all all scram-sha-256\\n' > {StandaloneHba} && : > {StandaloneIdent}\n"
                     + $"cat >> {DataDirectory}/postgresql.auto.conf <<'END_OF_SETTINGS'\n# RestoreDrills: standalone settings\n"
                     + string.Join('\n', settings) + "\nEND_OF_SETTINGS";
        await ContainerCommands.ShellAsync(_container, script, "writing the standalone settings", ct);
        return settings;
    }

    private const string StandaloneHba = "/var/lib/postgresql/restoredrills_hba.conf";
    private const string StandaloneIdent = "/var/lib/postgresql/restoredrills_ident.conf";

    /// <summary>The PostgreSQL major version this container's server binaries run (a backup restores only into its own).</summary>
    public async Task<int> PostgresMajorAsync(CancellationToken ct)
    {
        var output = (await ContainerCommands.RunAsync(_container, ["pg_config", "--version"], "pg_config --version", ct)).Stdout;
        var version = output.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        return int.TryParse(version.Split('.')[0], out var major) ? major
            : throw new InvalidOperationException($"cannot read the PostgreSQL version of the restore image from '{output.Trim()}'");
    }

    /// <summary>
    /// Starts PostgreSQL and waits until it has left recovery. A server that stops instead is a failed restore,
    /// with PostgreSQL's own FATAL line as the cause; "target not reached" is told apart.
    /// </summary>
    public async Task<RecoveryResult> RecoverAsync(TimeSpan timeout, CancellationToken ct)
    {
        await ContainerCommands.RunAsync(_container,
            ["pg_ctl", "-D", DataDirectory, "-l", RecoveryLog, "-W", "start"], "pg_ctl start", ct);
        var wait = new Poll("recovery ended (promoted)", timeout, Configuration.SettingsTable.TimeoutRecovery.Name, PromotionProbeInterval);
        return await wait.UntilAsync(async (elapsed, token) =>
        {
            var probe = _localSuperuser is null ? await ProbeOverTcpAsync(token) : await ProbeOverSocketAsync(token);
            if (probe.Promoted is { } promoted)
            {
                if (_localSuperuser is not null) await CreateVerifierRoleAsync(token);
                return Poll.Answer<RecoveryResult>.Of(promoted);
            }
            // A server that answered "in recovery" is running; one that did not answer may have stopped.
            if (!probe.Answered && !await IsRunningAsync(token) && (elapsed > StartGrace || ShowsStop(await RecoveryLogAsync(token))))
                throw await RecoveryStoppedAsync(token);
            return Poll.Answer<RecoveryResult>.NotYet(probe.Answer);
        }, async lastAnswer => new DrillFailure(FailureCause.RestoreFailed,
            $"recovery did not end within {timeout.TotalSeconds:0.###} s (RESTOREDRILLS_TIMEOUT_RECOVERY_SECONDS); last answer: {lastAnswer}",
            await RecoveryLogAsync(ct)), ct);
    }

    /// <summary>How often the recovering server is asked whether it has promoted: the RTO is measured to about this precision.</summary>
    public static readonly TimeSpan PromotionProbeInterval = Configuration.SettingsTable.PromotionProbe.DefaultDuration;

    private const string PromotedQuery =
        "SELECT pg_is_in_recovery(), pg_last_xact_replay_timestamp(), substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)";

    /// <summary>What one question to the recovering server gave: promoted, still in recovery (answered), or no answer.</summary>
    private sealed record Probe(RecoveryResult? Promoted, bool Answered, string Answer);

    private static readonly Probe InRecovery = new(null, true, "still in recovery");

    /// <summary>Asks over TCP as the source's own role.</summary>
    private async Task<Probe> ProbeOverTcpAsync(CancellationToken ct)
    {
        try
        {
            await using var db = await OpenAsync(ct);
            await using var cmd = new NpgsqlCommand(PromotedQuery, db);
            // pg_current_wal_lsn() errors during recovery; it is only read once promoted.
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return reader.GetBoolean(0) ? InRecovery : new Probe(new RecoveryResult(
                reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1), Convert.ToInt32(reader.GetString(2), 16)), true, "promoted");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectNotInPrerequisiteState)
        {
            return InRecovery; // pg_current_wal_lsn() is not allowed yet
        }
        catch (NpgsqlException e)
        {
            return new Probe(null, false, e.Message); // not accepting connections yet, or stopped: the caller asks the process
        }
    }

    /// <summary>The same question through the local socket (trust), as the restored server's own superuser.</summary>
    private async Task<Probe> ProbeOverSocketAsync(CancellationToken ct)
    {
        const string query = "SELECT pg_is_in_recovery()::text || '|' || coalesce(to_char(pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC', " +
                             "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '') || '|' || CASE WHEN pg_is_in_recovery() THEN '' " +
                             "ELSE substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) END";
        var result = await _container.ExecAsync(["psql", "-X", "-At", "-h", "/var/run/postgresql", "-U", _localSuperuser!, "-d", "postgres", "-c", query], ct);
        if (result.ExitCode != 0) return new Probe(null, false, result.Stderr.Trim());
        var parts = result.Stdout.Trim().Split('|');
        if (parts[0] == "true") return InRecovery;
        return new Probe(new RecoveryResult(
            parts[1].Length == 0 ? null : DateTimeOffset.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToInt32(parts[2], 16)), true, "promoted");
    }

    private async Task CreateVerifierRoleAsync(CancellationToken ct)
    {
        // The password is hex: nothing to quote. The role exists only in this throwaway copy.
        var sql = $"CREATE ROLE {VerifierRole} LOGIN SUPERUSER PASSWORD '{_password}'";
        await ContainerCommands.RunAsync(_container,
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "/var/run/postgresql", "-U", _localSuperuser!, "-d", "postgres", "-c", sql],
            $"creating the verifier role as {_localSuperuser}", ct);
    }

    /// <summary>
    /// Right after `pg_ctl -W start` the server may not have written its pid file yet: "not running" counts as
    /// stopped only once the log says so, or after this grace.
    /// </summary>
    private static readonly TimeSpan StartGrace = Configuration.SettingsTable.RestoredStartGrace.DefaultDuration;

    private static bool ShowsStop(string log) =>
        log.Contains("FATAL:", StringComparison.Ordinal) || log.Contains("PANIC:", StringComparison.Ordinal)
        || log.Contains("database system is shut down", StringComparison.Ordinal);

    /// <summary>Runs a command in the restored server's container (tests tamper with its files; the benchmark restores by hand).</summary>
    public Task<ExecResult> ExecAsync(IList<string> command, CancellationToken ct) => _container.ExecAsync(command, ct);

    public async Task<string> RecoveryLogAsync(CancellationToken ct) =>
        (await _container.ExecAsync(["cat", RecoveryLog], ct)).Stdout;

    /// <summary>Where replay ended, from the history file PostgreSQL wrote when it promoted onto <paramref name="promotedTimeline"/>.</summary>
    public async Task<Verification.ReplayEnd> ReplayEndAsync(int promotedTimeline, CancellationToken ct)
    {
        var file = $"{DataDirectory}/pg_wal/{promotedTimeline:X8}.history";
        var history = await ContainerCommands.RunAsync(_container, ["cat", file], $"cat {file}", ct);
        return Verification.ReplayEnd.FromHistory(history.Stdout, file);
    }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = _hostPort ?? _container.GetMappedPublicPort(PostgresPort), Database = _database,
            Username = _user, Password = _password, Pooling = false, Timeout = Configuration.SettingsTable.RestoredConnect.DefaultWholeSeconds,
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
            : new DrillFailure(FailureCause.RestoreFailed, $"PostgreSQL stopped during recovery: {fatal ?? LastLine(log)}", log);
    }

    private static string LastLine(string log) =>
        log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() is { } line
            ? $"no FATAL line; the log ends: {line}" : "no FATAL line, and the log is empty";

    public async ValueTask DisposeAsync()
    {
        // The sidecar first: a volume in use by a container cannot be removed.
        if (_sidecar is not null) await _sidecar.DisposeAsync();
        await _container.DisposeAsync();
        if (_volume is not null) await _volume.DisposeAsync();
    }
}
