using Dapper;

namespace RestoreDrills.Tests.Containers;

/// <summary>
/// The restored server's restore_command (<see cref="CnpgWalRestore"/>) run as PostgreSQL runs it, file by file,
/// against a real barman-cloud store: each step of CNPG's wal-restore, and what it must never do (serve a file
/// twice, prefetch a history file, end a replay early in a new cluster).
/// </summary>
[TestFixture]
public sealed class CnpgWalRestoreTests : PreparedDrillTest
{
    private const int MaxParallel = 3;
    private RestoredInstance _restored = null!;
    private WalSegmentName _begin;
    private WalSegmentName _last;

    protected override RecoveryTargetKind TargetKind => RecoveryTargetKind.Latest;

    [OneTimeSetUp]
    public async Task ArchiveMoreAndDownloadAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            // A switch with nothing written since the last one closes no segment.
            await using (var db = await Drill.Source.OpenAsync(CancellationToken.None))
                await db.ExecuteAsync("INSERT INTO backup_test (name) VALUES ('one more segment')");
            await Drill.Source.SwitchWalAndWaitArchivedAsync(ContainersRun.Platform.Settings.Timeouts.WalArchived, CancellationToken.None);
        }
        await using (var db = await Drill.Source.OpenAsync(CancellationToken.None))
            _last = WalSegmentName.Parse((await db.ExecuteScalarAsync<string>("SELECT last_archived_wal FROM pg_stat_archiver"))!);
        _begin = WalSegmentName.Parse(Prep.Backup.Backup.BeginWal);
        Assert.That(_last.Ordinal(WalSegmentName.DefaultSegmentSize) - _begin.Ordinal(WalSegmentName.DefaultSegmentSize), Is.GreaterThanOrEqualTo(3),
            "a few segments archived after the backup's first");
        _restored = await ContainersRun.Platform.CreateRestoredAsync(Drill.Source, CancellationToken.None);
        await _restored.DownloadBaseBackupAsync(Prep.Backup.Backup.BackupId, RestoreSteps.DefaultTimeout, CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task RemoveRestoredAsync()
    {
        if (_restored is not null) await _restored.DisposeAsync();
    }

    /// <summary>Writes the command afresh (empty spool and log) in the mode the test names.</summary>
    private async Task InstallAsync(bool endOfWalStreamFlag)
    {
        var script = $"rm -rf {CnpgWalRestore.SpoolDirectory} /tmp/wal && mkdir -p /tmp/wal\n"
                     + CnpgWalRestore.InstallScript(new BarmanCloudCommands(Drill.Source.Store), MaxParallel, endOfWalStreamFlag, "/var/lib/postgresql/data");
        var result = await _restored.ExecAsync(["bash", "-c", script], CancellationToken.None);
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
    }

    /// <summary>restore_command as PostgreSQL calls it: %f, %p.</summary>
    private async Task<long> RequestAsync(string file) =>
        (await _restored.ExecAsync([CnpgWalRestore.CommandPath, file, "/tmp/wal/" + file], CancellationToken.None)).ExitCode ?? -1;

    private async Task<string> ShellAsync(string command) =>
        (await _restored.ExecAsync(["bash", "-c", command], CancellationToken.None)).Stdout.Trim();

    private Task<WalRestoreLog> LogAsync() => _restored.WalRestoreLogAsync(CancellationToken.None);

    private static string Next(WalSegmentName segment, int k)
    {
        for (var i = 0; i < k; i++) segment = segment.Next();
        return segment.ToString();
    }

    [Test]
    public async Task A_segment_is_fetched_with_the_next_ones_and_those_are_served_from_the_spool_without_a_call()
    {
        await InstallAsync(endOfWalStreamFlag: false);

        Assert.That(await RequestAsync(_begin.ToString()), Is.Zero);
        var afterFirst = await LogAsync();
        Assert.That(afterFirst.Calls.Select(c => c.File), Is.EquivalentTo(new[] { _begin.ToString(), Next(_begin, 1), Next(_begin, 2) }));
        Assert.That(await ShellAsync($"ls {CnpgWalRestore.SpoolDirectory}"), Is.EqualTo($"{Next(_begin, 1)}\n{Next(_begin, 2)}"), "the two prefetched, whole, nothing else");

        Assert.That(await RequestAsync(Next(_begin, 1)), Is.Zero);
        var afterSecond = await LogAsync();
        Assert.That(afterSecond.Calls, Has.Count.EqualTo(3), "the spool answered: no new call to the store");
        Assert.That(afterSecond.Requests.Last(), Is.EqualTo(new WalRestoreLog.Request(Next(_begin, 1), "spool")));
        Assert.That(await ShellAsync($"ls {CnpgWalRestore.SpoolDirectory}"), Is.EqualTo(Next(_begin, 2)), "served files leave the spool");

        // The spooled bytes are the store's: the same file fetched directly has the same checksum.
        var direct = await ShellAsync($"{new BarmanCloudCommands(Drill.Source.Store).WalRestoreProgram} {Next(_begin, 1)} /tmp/direct && sha256sum < /tmp/direct");
        Assert.That(await ShellAsync($"sha256sum < /tmp/wal/{Next(_begin, 1)}"), Is.EqualTo(direct).And.Not.Empty);
        Assert.That(await ShellAsync($"stat -c %s /tmp/wal/{Next(_begin, 1)}"), Is.EqualTo((16 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task Where_the_flag_applies_a_prefetched_segment_not_found_sets_it_and_the_next_request_fails_at_once_and_clears_it()
    {
        await InstallAsync(endOfWalStreamFlag: true);

        Assert.That(await RequestAsync(_last.ToString()), Is.Zero, "the last archived segment is there");
        Assert.That(await ShellAsync($"test -f {CnpgWalRestore.EndOfWalStreamFlag} && echo set"), Is.EqualTo("set"), "the two after it were not found");
        var calls = (await LogAsync()).Calls.Count;

        Assert.That(await RequestAsync(Next(_last, 1)), Is.EqualTo(1), "the end of the stream, answered at once");
        var log = await LogAsync();
        Assert.That(log.Calls, Has.Count.EqualTo(calls), "no call to the store");
        Assert.That(log.Requests.Last().Answer, Is.EqualTo("end-of-wal-stream"));
        Assert.That(await ShellAsync($"test -f {CnpgWalRestore.EndOfWalStreamFlag} && echo set"), Is.Empty, "the flag is used once");

        // With the flag gone, the same request goes to the store again and fails there, without setting it again.
        Assert.That(await RequestAsync(Next(_last, 1)), Is.EqualTo(1));
        Assert.That((await LogAsync()).Calls, Has.Count.EqualTo(calls + MaxParallel));
        Assert.That(await ShellAsync($"test -f {CnpgWalRestore.EndOfWalStreamFlag} && echo set"), Is.Empty, "the requested file failed: no flag (CNPG returns first)");
    }

    [Test]
    public async Task In_a_new_clusters_first_instance_there_is_no_flag_and_every_request_asks_the_store()
    {
        await InstallAsync(endOfWalStreamFlag: false);

        Assert.That(await RequestAsync(_last.ToString()), Is.Zero);
        Assert.That(await ShellAsync($"ls -A {CnpgWalRestore.SpoolDirectory}"), Is.Empty, "nothing after the last segment, and no flag");
        Assert.That(await RequestAsync(Next(_last, 1)), Is.EqualTo(1));
        var log = await LogAsync();
        Assert.That(log.Calls, Has.Count.EqualTo(2 * MaxParallel));
        Assert.That(log.Requests.Select(r => r.Answer), Is.EqualTo(new[] { "fetched", "failed" }));
    }

    [Test]
    public async Task A_history_file_is_fetched_alone_and_nothing_is_prefetched_for_it()
    {
        await InstallAsync(endOfWalStreamFlag: true);
        var history = ContainersRun.Platform.Store.Blobs.GetBlobClient($"{Drill.Source.Store.ServerName}/wals/00000002.history.gz");
        const string content = "1\t0/3000000\tno recovery target specified\n";
        await history.UploadAsync(GzipText.Of(content), overwrite: true);
        try
        {
            Assert.That(await RequestAsync("00000002.history"), Is.Zero);
            Assert.That(await ShellAsync("cat /tmp/wal/00000002.history"), Is.EqualTo(content.TrimEnd()));
            Assert.That(await RequestAsync("00000003.history"), Is.EqualTo(1), "a timeline with no history file");
            var log = await LogAsync();
            Assert.That(log.Calls.Select(c => (c.File, c.ExitCode)), Is.EqualTo(new[] { ("00000002.history", 0), ("00000003.history", 1) }), "one call each");
            Assert.That(await ShellAsync($"ls -A {CnpgWalRestore.SpoolDirectory}"), Is.Empty, "a history file that is not found sets no flag");
        }
        finally
        {
            await history.DeleteIfExistsAsync();
        }
    }

    [Test]
    public void The_command_refuses_a_max_parallel_below_one() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CnpgWalRestore.InstallScript(new BarmanCloudCommands(Drill.Source.Store), 0, false, "/data"));
}
