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
/// cluster does on a rolling update (<see cref="SwitchOverAsync"/>): from then on, its primary is the promoted standby.
/// </summary>
public sealed class SourceInstance : IAsyncDisposable
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

    /// <summary>
    /// A switchover as CNPG makes one on a rolling update: a standby joins as a CNPG replica does (pg_basebackup from the
    /// primary, streaming), the primary shuts down (fast: it sends its shutdown checkpoint to the standby first), the
    /// standby replays past it and is promoted (pg_promote) onto a new timeline, archiving as the primary did. PostgreSQL
    /// itself then archives what a promotion leaves: the new timeline's history file and the old timeline's last,
    /// partly written segment as "….partial". From here on <see cref="OpenAsync"/> reaches the promoted standby.
    /// </summary>
    public async Task<TimelineChange> SwitchOverAsync(TimeSpan timeout, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var from = await TimelineAsync(_primary, ct);
        var standby = await StandbyAsync(timeout, ct);
        try
        {
            string stopLsn;
            await using (var primary = await OpenAsync(ct))
            {
                await WaitStreamingAsync(primary, timeout, ct);
                stopLsn = await primary.ExecuteScalarAsync<string>("SELECT pg_current_wal_lsn()::text") ?? "";
            }
            await StopPrimaryAsync(ct);
            await using (var db = new NpgsqlConnection(ConnectionString(standby)))
            {
                await db.OpenAsync(ct);
                await WaitReplayedPastAsync(db, stopLsn, timeout, ct);
                await db.ExecuteAsync(new CommandDefinition("SELECT pg_promote(true, @seconds)", new { seconds = (int)timeout.TotalSeconds }, cancellationToken: ct));
            }
        }
        catch
        {
            await standby.DisposeAsync();
            throw;
        }
        return await TakeOverAsync(standby, TimelineChangeKind.Switchover, from, watch, ct);
    }

    /// <summary>
    /// The primary is lost and a server restored from the store takes its place, as a CNPG cluster bootstrapped from its
    /// own object store does: the newest base backup downloaded (barman-cloud-restore), WAL replayed to the end of the
    /// archive (barman-cloud-wal-restore), promoted onto a new timeline, archiving on into the same server name. What the
    /// primary had not archived is lost, as it would be: archive it first to keep it.
    /// </summary>
    public async Task<TimelineChange> RestoreFromArchiveAsync(TimeSpan timeout, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var from = await TimelineAsync(_primary, ct);
        await StopPrimaryAsync(ct);
        var restored = await IdleServerContainer.StartAsync(_image, _network, Store, _labels, timeout, ct, NodeAlias(Store.ServerName, _changes.Count + 2));
        try
        {
            var listing = (await ContainerCommands.RunAsync(restored, _barman.BackupList(), "barman-cloud-backup-list", ct)).Stdout;
            var newest = BaseBackup.ParseListing(listing).Where(b => b.Status == "DONE").MaxBy(b => b.EndTime)
                         ?? throw new DrillFailure(FailureCause.BackupFailed, "restore from the archive: the store lists no completed backup", listing);
            var settings = RecoveryTargets.RecoveryTarget.Latest().RecoverySettings($"{_barman.WalRestoreProgram} %f %p").Concat(ArchivingSettings);
            await ContainerCommands.ShellAsync(restored,
                string.Join(' ', _barman.Restore(newest.BackupId, "\"$PGDATA\"")) + "\n" +
                $"cat >> \"$PGDATA/postgresql.auto.conf\" <<'END_OF_SETTINGS'\n# RestoreDrills: restored from the archive, archiving on once promoted\n" +
                string.Join('\n', settings) + "\nEND_OF_SETTINGS\ntouch \"$PGDATA/recovery.signal\"\n" +
                "pg_ctl -D \"$PGDATA\" -l /var/lib/postgresql/recovery.log -w -t 60 start",
                $"restoring backup {newest.BackupId} to the end of the archive", ct);
            await WaitPromotedAsync(restored, timeout, ct);
        }
        catch
        {
            await restored.DisposeAsync();
            throw;
        }
        return await TakeOverAsync(restored, TimelineChangeKind.RestoreFromArchive, from, watch, ct);
    }

    /// <summary>The settings the first primary had on its command line, and archiving: a new primary archives as it did.</summary>
    private IEnumerable<string> ArchivingSettings =>
    [
        "fsync = on", "full_page_writes = on", "synchronous_commit = on", "wal_level = replica",
        "archive_mode = on", $"archive_command = '{_barman.WalArchiveCommand}'", "listen_addresses = '*'",
    ];

    private async Task<TimelineChange> TakeOverAsync(IContainer server, TimelineChangeKind kind, int from, Stopwatch watch, CancellationToken ct)
    {
        _formerPrimaries.Add(_primary);
        _primary = server;
        var change = new TimelineChange(kind, from, await TimelineAsync(server, ct), watch.Elapsed);
        _changes.Add(change);
        return change;
    }

    private async Task WaitPromotedAsync(IContainer server, TimeSpan timeout, CancellationToken ct)
    {
        await using var db = new NpgsqlConnection(ConnectionString(server));
        await db.OpenAsync(ct);
        await new Poll("the restored server promoted", timeout, Configuration.SettingsTable.TimeoutSwitchover.Name, Configuration.SettingsTable.PromotionProbe.DefaultDuration)
            .UntilAsync(async (_, token) => await db.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_is_in_recovery()", cancellationToken: token))
                    ? Poll.Answer<bool>.NotYet("still in recovery") : Poll.Answer<bool>.Of(true),
                seen => new DrillFailure(FailureCause.RestoreFailed, $"restore from the archive: {seen}"), ct);
    }

    /// <summary>
    /// A fast shutdown: the primary writes its shutdown checkpoint and sends it to its standbys before it exits. The first
    /// primary is its container's main process (Docker's stop sends SIGINT, a fast shutdown); a promoted standby runs under
    /// an idle shell that would take it down with it, so it is stopped with pg_ctl first.
    /// </summary>
    private async Task StopPrimaryAsync(CancellationToken ct)
    {
        if (_changes.Count > 0)
            await ContainerCommands.ShellAsync(_primary, "pg_ctl -D \"$PGDATA\" -m fast -w -t 60 stop", "stopping the primary (fast)", ct);
        await _primary.StopAsync(ct);
    }

    /// <summary>A new container streaming from the primary: pg_basebackup -R, then the primary's own archiving settings.</summary>
    private async Task<IContainer> StandbyAsync(TimeSpan timeout, CancellationToken ct)
    {
        var node = _changes.Count + 2;
        // The primary lets its standbys in for replication, as CNPG's pg_hba does for streaming_replica.
        await ContainerCommands.ShellAsync(_primary,
            "grep -q '^host replication all all' \"$PGDATA/pg_hba.conf\" || echo 'host replication all all scram-sha-256' >> \"$PGDATA/pg_hba.conf\"",
            "allowing replication connections", ct);
        await using (var db = await OpenAsync(ct)) await db.ExecuteAsync("SELECT pg_reload_conf()");
        var standby = await IdleServerContainer.StartAsync(_image, _network, Store, _labels, timeout, ct, NodeAlias(Store.ServerName, node),
            environment: new Dictionary<string, string> { ["PGPASSWORD"] = Password });
        try
        {
            // A standby archives once promoted (archive_mode = on).
            var settings = string.Join('\n', ArchivingSettings);
            await ContainerCommands.ShellAsync(standby,
                $"pg_basebackup -h {NodeAlias(Store.ServerName, node - 1)} -p {IdleServerContainer.PostgresPort} -U {Superuser} -D \"$PGDATA\" -X stream -R -c fast\n" +
                $"cat >> \"$PGDATA/postgresql.auto.conf\" <<'END_OF_SETTINGS'\n# RestoreDrills: a standby that archives once promoted\n{settings}\nEND_OF_SETTINGS\n" +
                "pg_ctl -D \"$PGDATA\" -l /var/lib/postgresql/standby.log -w -t 60 start",
                $"starting a standby of {NodeAlias(Store.ServerName, node - 1)}", ct);
            return standby;
        }
        catch
        {
            await standby.DisposeAsync();
            throw;
        }
    }

    /// <summary>Until the primary streams to the standby: only then does its shutdown send the standby all it wrote.</summary>
    private static Task WaitStreamingAsync(NpgsqlConnection primary, TimeSpan timeout, CancellationToken ct) =>
        new Poll("the standby streaming from the primary", timeout, Configuration.SettingsTable.TimeoutSwitchover.Name, Configuration.SettingsTable.ArchiverPoll.DefaultDuration)
            .UntilAsync(async (_, token) =>
            {
                var streaming = await primary.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'", cancellationToken: token));
                return streaming > 0 ? Poll.Answer<bool>.Of(true) : Poll.Answer<bool>.NotYet("no standby streaming (pg_stat_replication)");
            }, seen => new DrillFailure(FailureCause.WalArchivingFailed, $"switchover: {seen}"), ct);

    /// <summary>Until the standby has replayed past <paramref name="lsn"/>: the stopped primary's shutdown checkpoint is there.</summary>
    private static Task WaitReplayedPastAsync(NpgsqlConnection standby, string lsn, TimeSpan timeout, CancellationToken ct) =>
        new Poll($"the standby replayed past the stopped primary's {lsn}", timeout, Configuration.SettingsTable.TimeoutSwitchover.Name,
                Configuration.SettingsTable.ArchiverPoll.DefaultDuration)
            .UntilAsync(async (_, token) =>
            {
                var replayed = await standby.ExecuteScalarAsync<string>(new CommandDefinition(
                    "SELECT pg_last_wal_replay_lsn()::text || '|' || (pg_last_wal_replay_lsn() > @lsn::pg_lsn)::text", new { lsn }, cancellationToken: token)) ?? "";
                return replayed.EndsWith("|true", StringComparison.Ordinal) ? Poll.Answer<bool>.Of(true) : Poll.Answer<bool>.NotYet($"replayed to {replayed.Split('|')[0]}");
            }, seen => new DrillFailure(FailureCause.WalArchivingFailed, $"switchover: the standby did not replay past the primary's end: {seen}"), ct);

    /// <summary>The timeline a server writes WAL on (its current WAL file's first 8 digits).</summary>
    private async Task<int> TimelineAsync(IContainer server, CancellationToken ct)
    {
        await using var db = new NpgsqlConnection(ConnectionString(server));
        await db.OpenAsync(ct);
        var file = await db.ExecuteScalarAsync<string>(new CommandDefinition("SELECT pg_walfile_name(pg_current_wal_lsn())", cancellationToken: ct)) ?? "";
        return Convert.ToInt32(file[..8], 16);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var former in _formerPrimaries) await former.DisposeAsync();
        await _primary.DisposeAsync();
    }
}
