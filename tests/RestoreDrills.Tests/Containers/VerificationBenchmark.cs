using System.Diagnostics;
using System.Globalization;
using Dapper;
using Npgsql;
using NUnit.Framework;
using RestoreDrills.Backups;
using RestoreDrills.Configuration;
using RestoreDrills.Drills;
using RestoreDrills.Platforms.Containers;
using RestoreDrills.RecoveryTargets;
using RestoreDrills.Reporting;
using RestoreDrills.Tests.Support;
using RestoreDrills.Verification;

namespace RestoreDrills.Tests.Containers;

/// <summary>
/// The benchmark of issue 3, in one run (not a timed test: ./scripts/bench runs it and prints its lines).
/// A wide table (text, numeric, jsonb, timestamps) of RESTOREDRILLS_BENCH_ROWS rows (default 1,000,000) is written
/// after the base backup, so the restore replays it from WAL. Then:
/// (a) the floor: server-side COPY ... TO '/dev/null' of the table, on source and restored at once;
/// (b) the full verification (table comparison, schema, amcheck) with no difference;
/// (c) the same with 10 scattered differences, which must all be named;
/// (d) the drill's restore (download to promoted) without and with WAL prefetch, against the raw barman-cloud
///     pipeline run by hand in a container of its own (barman-cloud-restore, one barman-cloud-wal-restore per
///     segment, then PostgreSQL replaying from pg_wal to the same target).
/// </summary>
[TestFixture]
[Category("Bench")]
[Explicit("a benchmark, minutes long: run it with ./scripts/bench")]
[NonParallelizable]
public sealed class VerificationBenchmark
{
    private const string Table = "public.wide";

    /// <summary>The prefetch compared when the run's RESTOREDRILLS_WAL_MAX_PARALLEL is 1 (the default).</summary>
    private const int BenchPrefetch = 4;
    private readonly List<string> _lines = [];

    private static int Rows => int.Parse(Environment.GetEnvironmentVariable("RESTOREDRILLS_BENCH_ROWS") ?? "1000000", CultureInfo.InvariantCulture);

    private void Report(string line)
    {
        _lines.Add(line);
        TestContext.Progress.WriteLine("[bench] " + line);
    }

    [Test]
    public async Task Verification_and_restore_against_their_floors()
    {
        var ct = CancellationToken.None;
        var platform = ContainersRun.Platform;
        var journal = new DrillJournal(ContainersRun.Scratch, TestContext.Progress, "bench");
        await using var drill = new RestoreDrill(platform, RecoveryTargetKind.Name, journal)
        {
            VerifyTables = VerificationScope.Of(Table),
            WalMaxParallel = 1,
            WorkloadBeforeTarget = async (db, token) =>
            {
                await WideTable.CreateAsync(db, Table, Rows, token);
                await WaitArchivedAsync(db, token);
            },
        };
        var prep = await drill.PrepareAsync(ct);
        Report($"machine: {Environment.ProcessorCount} cores, {OsName()}; rows: {Rows}; table size: {await TableSizeAsync(drill)}");

        // (d) the raw pipeline first, then the drill without and with prefetch.
        var raw = await RawPipelineAsync(drill, prep, ct);
        var unprefetched = await drill.RestoreAsync(prep, ct);
        var prefetch = platform.Settings.WalMaxParallel > 1 ? platform.Settings.WalMaxParallel : BenchPrefetch;
        drill.WalMaxParallel = prefetch;
        var prefetched = await drill.RestoreAsync(prep, ct);

        // (a) the floor, after one warm-up read on each side (the first read after a restore sets hint bits).
        await CopyToDevNullAsync(drill, ct);
        var floorSequential = (await CopyToDevNullAsync(drill, ct)).Sum(t => t.TotalSeconds);
        var floorWatch = Stopwatch.StartNew();
        await CopyToDevNullBothAtOnceAsync(drill, ct);
        var floor = floorWatch.Elapsed.TotalSeconds;

        // (b) the full verification, no difference.
        var clean = await VerifyAsync(drill, prep, prefetched, ct);
        Assert.That(clean.Checks().Where(c => !c.Passed), Is.Empty, "a faithful restore passes the engine's checks");
        var cleanTable = clean.Tables.Single();

        // (c) 10 scattered differences.
        var injected = await InjectTenDifferencesAsync(drill, ct);
        var tampered = await VerifyAsync(drill, prep, prefetched, ct);
        var found = injected.Count(i => tampered.RowDifferences.Any(d => d.Kind == i.Kind && d.Key == i.Key && (i.Column is null || d.ChangedColumns.Contains(i.Column))));
        var tamperedTable = tampered.Tables.Single();

        var peakRss = PeakRssMegabytes();
        Report($"(a) floor COPY {Table} TO '/dev/null': source and restored at once {floor:0.00} s (one after the other {floorSequential:0.00} s)");
        Report($"(b) verification, no difference: {clean.Duration.TotalSeconds:0.00} s (table comparison {cleanTable.Duration.TotalSeconds:0.00} s, schema + amcheck {(clean.Duration - cleanTable.Duration).TotalSeconds:0.00} s); comparison/floor {cleanTable.Duration.TotalSeconds / floor:0.00}");
        Report($"(c) verification, 10 differences: {tampered.Duration.TotalSeconds:0.00} s (table comparison {tamperedTable.Duration.TotalSeconds:0.00} s); found {found}/10: {string.Join("; ", tampered.RowDifferences.Select(d => d.ToString()))}");
        Report($"(d) restore, download to promoted: raw barman-cloud by hand {raw.Total:0.00} s (download {raw.Download:0.00} s, {raw.Segments} segments fetched in {raw.Fetch:0.00} s, replay {raw.Replay:0.00} s); "
               + $"drill without prefetch {unprefetched.Restore.TotalSeconds:0.00} s (ratio {unprefetched.Restore.TotalSeconds / raw.Total:0.00}); "
               + $"drill with prefetch {prefetch} {prefetched.Restore.TotalSeconds:0.00} s (ratio {prefetched.Restore.TotalSeconds / raw.Total:0.00}, prefetch speed-up {unprefetched.Restore.TotalSeconds / prefetched.Restore.TotalSeconds:0.00}x)");
        Report(Invariant($"verify_floor_ratio={clean.Duration.TotalSeconds / floor:0.00}"));
        Report($"differences_found={found}/10");
        Report(Invariant($"restore_overhead_ratio={unprefetched.Restore.TotalSeconds / raw.Total:0.00}"));
        Report(Invariant($"peak_rss_mb={peakRss:0}"));

        var output = Environment.GetEnvironmentVariable("RESTOREDRILLS_BENCH_OUTPUT") ?? Path.Combine(RepositoryPaths.Root, "artifacts", "bench", "bench.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllLinesAsync(output, _lines, ct);
        await File.WriteAllTextAsync(Path.ChangeExtension(output, ".recovery-without-prefetch.log"), unprefetched.RecoveryLog, ct);
        await File.WriteAllTextAsync(Path.ChangeExtension(output, ".recovery-with-prefetch.log"), prefetched.RecoveryLog, ct);
        Assert.That(found, Is.EqualTo(10), "every injected difference is named");
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static async Task<VerificationReport> VerifyAsync(RestoreDrill drill, DrillPreparation prep, DrillRestore restore, CancellationToken ct)
    {
        await drill.VerifyAsync(prep, restore, ct);
        return drill.LastVerification!;
    }

    /// <summary>Waits until the archiver has caught up with the bulk load (bounded), so the drill's own WAL switch measures only its segment.</summary>
    private static async Task WaitArchivedAsync(NpgsqlConnection db, CancellationToken ct)
    {
        var current = await db.ExecuteScalarAsync<string>("SELECT pg_walfile_name(pg_current_wal_lsn())");
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromMinutes(10))
        {
            var archived = await db.ExecuteScalarAsync<string?>("SELECT last_archived_wal FROM pg_stat_archiver");
            if (archived is not null && string.CompareOrdinal(NextSegment(archived), current) >= 0) return; // everything before the current segment
            await Task.Delay(500, ct);
        }
        throw new TimeoutException("the bulk load's WAL was not archived within 10 minutes");
    }

    private static string NextSegment(string segment)
    {
        var log = Convert.ToInt64(segment[8..16], 16);
        var seg = Convert.ToInt64(segment[16..24], 16) + 1;
        return string.Create(CultureInfo.InvariantCulture, $"{segment[..8]}{log + seg / 256:X8}{seg % 256:X8}");
    }

    private static async Task<string> TableSizeAsync(RestoreDrill drill)
    {
        await using var db = await drill.Source.OpenAsync(CancellationToken.None);
        return await db.ExecuteScalarAsync<string>($"SELECT pg_size_pretty(pg_total_relation_size('{Table}'))") ?? "";
    }

    private static async Task<TimeSpan[]> CopyToDevNullAsync(RestoreDrill drill, CancellationToken ct)
    {
        var source = await TimedCopyAsync(drill.Source.OpenAsync, ct);
        var restored = await TimedCopyAsync(drill.Restored!.OpenAsync, ct);
        return [source, restored];
    }

    private static Task CopyToDevNullBothAtOnceAsync(RestoreDrill drill, CancellationToken ct) =>
        Task.WhenAll(TimedCopyAsync(drill.Source.OpenAsync, ct), TimedCopyAsync(drill.Restored!.OpenAsync, ct));

    private static async Task<TimeSpan> TimedCopyAsync(Func<CancellationToken, Task<NpgsqlConnection>> open, CancellationToken ct)
    {
        await using var db = await open(ct);
        var watch = Stopwatch.StartNew();
        await db.ExecuteAsync(new CommandDefinition($"COPY {Table} TO '/dev/null'", commandTimeout: 0, cancellationToken: ct));
        return watch.Elapsed;
    }

    private sealed record Injected(DifferenceKind Kind, string Key, string? Column);

    /// <summary>Ten differences spread over the key range: 3 rows deleted, 2 added, 5 changed (one per column type, and NULL vs empty).</summary>
    private static async Task<IReadOnlyList<Injected>> InjectTenDifferencesAsync(RestoreDrill drill, CancellationToken ct)
    {
        var step = Rows / 10;
        long Id(int k) => 1 + k * (long)step + 17 * k;
        await using var db = await drill.Restored!.OpenAsync(ct);
        var injected = new List<Injected>();
        foreach (var k in new[] { 0, 4, 8 })
        {
            await db.ExecuteAsync($"DELETE FROM {Table} WHERE id = @id", new { id = Id(k) });
            injected.Add(new(DifferenceKind.Missing, $"[{Id(k)}]", null));
        }
        foreach (var extra in new long[] { Rows + 1000, Rows + 2000 })
        {
            await db.ExecuteAsync($"INSERT INTO {Table} (id, label) VALUES (@extra, 'added on the restored copy')", new { extra });
            injected.Add(new(DifferenceKind.Extra, $"[{extra}]", null));
        }
        (int K, string Column, string Value)[] changes =
        [
            (1, "label", "label || '!'"), (2, "amount", "amount + 0.01"), (3, "doc", "doc || '{\"n\": -1}'"),
            (5, "happened_at", "happened_at + interval '1 millisecond'"), (9, "note", "''"),
        ];
        foreach (var (k, column, value) in changes)
        {
            var id = k == 9 ? 10 * (Rows / 10) : Id(k); // note is NULL on every tenth id: NULL vs ''
            await db.ExecuteAsync($"UPDATE {Table} SET {column} = {value} WHERE id = @id", new { id });
            injected.Add(new(DifferenceKind.Changed, $"[{id}]", column));
        }
        return injected;
    }

    private sealed record RawPipeline(double Download, double Fetch, double Replay, int Segments)
    {
        public double Total => Download + Fetch + Replay;
    }

    /// <summary>The restore as an operator would type it, in a new container: no drill code in the timed part.</summary>
    private static async Task<RawPipeline> RawPipelineAsync(RestoreDrill drill, DrillPreparation prep, CancellationToken ct)
    {
        await using var byHand = await ContainersRun.Platform.CreateRestoredAsync(drill.Source, ct);
        var barman = new BarmanCloudCommands(drill.Source.Store);
        var data = "/var/lib/postgresql/data";
        var restoreSettings = prep.Target.RecoverySettings("false").Where(l => !l.StartsWith("restore_command", StringComparison.Ordinal));
        var script = $$"""
            set -euo pipefail
            t0=$(date +%s.%N)
            {{string.Join(' ', barman.Restore(prep.Backup.Backup.BackupId, data))}} >/dev/null
            t1=$(date +%s.%N)
            seg={{prep.Backup.Backup.BeginWal}}; n=0
            while [ $n -lt 100000 ] && {{barman.WalRestoreProgram}} "$seg" {{data}}/pg_wal/"$seg" 2>/dev/null; do
              n=$((n + 1)); log=$((16#${seg:8:8})); s=$((16#${seg:16:8} + 1))
              seg=$(printf '%s%08X%08X' "${seg:0:8}" $((log + s / 256)) $((s % 256)))
            done
            t2=$(date +%s.%N)
            printf '%s\n' "restore_command = 'false'" {{string.Join(' ', restoreSettings.Select(l => "\"" + l.Replace("\"", "\\\"") + "\""))}} >> {{data}}/postgresql.auto.conf
            touch {{data}}/recovery.signal
            pg_ctl -D {{data}} -l /var/lib/postgresql/by-hand.log -w start >/dev/null
            for ((i = 0; i < 60000; i++)); do
              [ "$(psql -h /var/run/postgresql -U {{SourceInstance.Superuser}} -d {{SourceInstance.Database}} -tAc 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ] && break
              sleep 0.05
            done
            t3=$(date +%s.%N)
            echo "$t0 $t1 $t2 $t3 $n"
            """;
        var result = await byHand.ExecAsync(["bash", "-c", script], ct);
        Assert.That(result.ExitCode, Is.Zero, SecretMasker.Apply(result.Stderr + result.Stdout));
        var t = result.Stdout.Trim().Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return new RawPipeline(t[1] - t[0], t[2] - t[1], t[3] - t[2], (int)t[4]);
    }

    private static double PeakRssMegabytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private static string OsName() =>
        File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=')[1].Trim('"') ?? "Linux"
            : Environment.OSVersion.ToString();
}
