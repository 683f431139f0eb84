using System.Diagnostics;
using Dapper;
using DotNet.Testcontainers.Containers;
using Npgsql;
using RestoreDrills.Backups;
using RestoreDrills.Failures;

namespace RestoreDrills.Platforms.Containers;

/// <summary>
/// How a source changes timeline, each the way it happens to a CNPG cluster: a switchover (a standby promoted) or a
/// restore from its own archive promoted in place of a lost primary. What the store then holds is PostgreSQL's and
/// barman-cloud's own doing: the history file, and after a switchover the old timeline's last segment as .partial.
/// </summary>
public sealed partial class SourceInstance
{
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
}
