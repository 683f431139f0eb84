using System.Diagnostics;
using System.Globalization;
using Dapper;
using Npgsql;

namespace RestoreDrills.Tests.Verification;

/// <summary>
/// The benchmark of issues 3 and 13, in one run (not a timed test: ./scripts/bench runs it and prints its lines).
/// A wide table (text, numeric, jsonb, timestamps) of RESTOREDRILLS_BENCH_ROWS rows (default 1,000,000) is written
/// after the base backup, so the restore replays it from WAL. Then, side by side:
/// (a) the floor: server-side COPY ... TO '/dev/null' of the table, on source and restored at once;
/// (b) the full verification with no difference: the comparison against the floor, the physical checks (run beside
///     it) against pg_amcheck --heapallindexed --jobs=2 run by hand on the restored server;
/// (c) the same with 10 scattered differences, which must all be named;
/// (d) fetch: the raw per-segment barman-cloud pipeline by hand, and the drill's CNPG-style restore_command at
///     maxParallel 1 and at the runbook's 5, each with its barman-cloud-wal-restore calls;
///     harness: the drill's restore against the same restore (same restore_command, same target) run by hand in a
///     new container and waited for with a shell loop, at both maxParallel values (order: hand, drill, drill, hand).
/// </summary>
[TestFixture]
[Category("Bench")]
[Explicit("a benchmark, minutes long: run it with ./scripts/bench")]
[NonParallelizable]
public sealed class VerificationBenchmark
{
    private const string Table = "public.wide";

    /// <summary>wal.maxParallel of the runbook's restore, compared with CNPG's default of 1.</summary>
    private const int RunbookMaxParallel = 5;
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
        // Before the bench's own work (./scripts/bench reads it before dotnet starts): what else the machine was doing.
        var loadBefore = Environment.GetEnvironmentVariable("RESTOREDRILLS_BENCH_LOAD_BEFORE") ?? LoadAverage();
        await using var memory = new MemorySampler();
        memory.Phase("set-up");
        var platform = ContainersRun.Platform;
        var journal = new DrillJournal(ContainersRun.Scratch, TestContext.Progress, "bench");
        await using var drill = new RestoreDrill(platform, RecoveryTargetKind.Name, journal)
        {
            VerifyTables = VerificationScope.Of(Table),
            WalMaxParallel = 1,
            WorkloadBeforeTarget = async (db, token) =>
            {
                await WideTable.CreateAsync(db, Table, Rows, token);
                // Vacuum now (hint bits, visibility map: with checksums each first touch of a page writes it to WAL again),
                // or autovacuum does it later and its WAL backlog outlasts the drill's own wait for its segment (10M rows).
                await db.ExecuteAsync(new CommandDefinition($"VACUUM ANALYZE {Table}", commandTimeout: 0, cancellationToken: token));
                await WaitArchivedAsync(db, token);
            },
        };
        var prep = await drill.PrepareAsync(ct);
        Report($"machine: {Environment.ProcessorCount} cores, {OsName()}; load average before the run {loadBefore}, after the set-up {LoadAverage()}; rows: {Rows}; table size: {await TableSizeAsync(drill)}");

        // (d) the raw pipeline first; then, at each maxParallel, hand and drill restores in turn (HarnessPairAsync).
        memory.Phase("raw pipeline");
        var raw = await RawPipelineAsync(drill, prep, ct);
        memory.Phase($"restores at maxParallel {RunbookMaxParallel}");
        var parallelPair = await HarnessPairAsync(drill, prep, RunbookMaxParallel, ct);
        memory.Phase("restores at maxParallel 1");
        var serialPair = await HarnessPairAsync(drill, prep, 1, ct);
        var (handParallel, drillParallel) = (parallelPair.Hand, parallelPair.Drill);
        var (handSerial, drillSerial) = (serialPair.Hand, serialPair.Drill);

        // (a) the floor, after one warm-up read on each side (the first read after a restore sets hint bits).
        memory.Phase("floor");
        await CopyToDevNullAsync(drill, ct);
        var floorSequential = (await CopyToDevNullAsync(drill, ct)).Sum(t => t.TotalSeconds);
        var floorWatch = Stopwatch.StartNew();
        await CopyToDevNullBothAtOnceAsync(drill, ct);
        var floor = floorWatch.Elapsed.TotalSeconds;

        // (b) the full verification, no difference.
        memory.Phase("verification");
        var clean = await VerifyAsync(drill, prep, serialPair.Live, ct);
        var amcheckByHand = await PgAmcheckByHandAsync(drill, ct);
        var physicalAlone = (await PhysicalChecks.RunAsync(drill.Restored!.OpenAsync, ct)).Duration.TotalSeconds;
        Assert.That(clean.Checks().Where(c => !c.Passed), Is.Empty, "a faithful restore passes the engine's checks");
        var cleanTable = clean.Tables.Single();

        // (c) 10 scattered differences.
        memory.Phase("10 differences");
        var injected = await InjectTenDifferencesAsync(drill, ct);
        var tampered = await VerifyAsync(drill, prep, serialPair.Live, ct);
        var found = injected.Count(i => tampered.RowDifferences.Any(d => d.Kind == i.Kind && d.Key == i.Key && (i.Column is null || d.ChangedColumns.Contains(i.Column))));
        var tamperedTable = tampered.Tables.Single();

        var peakRss = MemorySampler.ResidentMegabytes("VmHWM:");
        var (peakPhase, _) = memory.Peak();
        var collector = MemorySampler.CollectorSummary();
        var liveHeap = MemorySampler.LiveManagedMegabytes();
        Report($"(a) floor COPY {Table} TO '/dev/null': source and restored at once {floor:0.00} s (one after the other {floorSequential:0.00} s)");
        var comparison = TimeSpan.FromTicks(clean.Tables.Sum(t => t.Duration.Ticks)).TotalSeconds;
        var physical = clean.Physical.Duration.TotalSeconds;
        Report($"(b) verification, no difference: {clean.Duration.TotalSeconds:0.00} s (table comparison {comparison:0.00} s, physical checks beside it {physical:0.00} s); "
               + $"comparison/floor {comparison / floor:0.00}; physical/pg_amcheck {physicalAlone / amcheckByHand:0.00} (pg_amcheck --heapallindexed --jobs=2 by hand {amcheckByHand:0.00} s, "
               + $"the physical checks alone right after it {physicalAlone:0.00} s; beside the comparison, in the verification, they took {physical:0.00} s)");
        Report($"(c) verification, 10 differences: {tampered.Duration.TotalSeconds:0.00} s (table comparison {tamperedTable.Duration.TotalSeconds:0.00} s); found {found}/10: {string.Join("; ", tampered.RowDifferences.Select(d => d.ToString()))}");
        Report($"(d) fetch, download to promoted: raw per-segment barman-cloud by hand {raw.Total:0.00} s, {raw.Segments + 1} calls (download {raw.Download:0.00} s, {raw.Segments} segments fetched in {raw.Fetch:0.00} s, replay {raw.Replay:0.00} s); "
               + $"drill maxParallel 1 {drillSerial.Restore.TotalSeconds:0.00} s, {drillSerial.WalRestore!.Calls.Count} calls (ratio to raw {drillSerial.Restore.TotalSeconds / raw.Total:0.00}); "
               + $"drill maxParallel {RunbookMaxParallel} {drillParallel.Restore.TotalSeconds:0.00} s, {drillParallel.WalRestore!.Calls.Count} calls (ratio to raw {drillParallel.Restore.TotalSeconds / raw.Total:0.00}, speed-up over maxParallel 1 {drillSerial.Restore.TotalSeconds / drillParallel.Restore.TotalSeconds:0.00}x)");
        var overheadSerial = drillSerial.Restore.TotalSeconds / handSerial.Seconds;
        var overheadParallel = drillParallel.Restore.TotalSeconds / handParallel.Seconds;
        Report($"(d) harness, same restore_command by hand and waited for with a shell loop, {Repeats} of each, the faster compared: maxParallel 1 by hand {serialPair.HandSamples} ({handSerial.Calls} calls), drill {serialPair.DrillSamples}, ratio {overheadSerial:0.00}; "
               + $"maxParallel {RunbookMaxParallel} by hand {parallelPair.HandSamples} ({handParallel.Calls} calls), drill {parallelPair.DrillSamples}, ratio {overheadParallel:0.00}");
        Report($"load average at the end {LoadAverage()} (1, 5, 15 minutes; the bench's own work included)");
        Report(Invariant($"memory: peak RSS {peakRss:0} MB, in the phase {peakPhase}; highest RSS per phase (MB, sampled every 0.5 s): {memory.PeaksByPhase()}; managed heap live after a full collection {liveHeap:0.0} MB; committed by the collector per phase (MB, the highest): {memory.CommittedByPhase()}; {collector}"));
        Report(Invariant($"verify_floor_ratio={clean.Duration.TotalSeconds / floor:0.00}  comparison_floor_ratio={comparison / floor:0.00}  physical_pg_amcheck_ratio={physicalAlone / amcheckByHand:0.00}"));
        Report($"differences_found={found}/10");
        Report(Invariant($"restore_overhead_ratio={Math.Max(overheadSerial, overheadParallel):0.00}  (the larger of maxParallel 1 and {RunbookMaxParallel})"));
        Report(Invariant($"peak_rss_mb={peakRss:0}"));

        var output = Environment.GetEnvironmentVariable("RESTOREDRILLS_BENCH_OUTPUT") ?? Path.Combine(RepositoryPaths.Root, "artifacts", "bench", "bench.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllLinesAsync(output, _lines, ct);
        await File.WriteAllTextAsync(Path.ChangeExtension(output, ".recovery-maxparallel-1.log"), drillSerial.RecoveryLog, ct);
        await File.WriteAllTextAsync(Path.ChangeExtension(output, $".recovery-maxparallel-{RunbookMaxParallel}.log"), drillParallel.RecoveryLog, ct);
        await File.WriteAllTextAsync(Path.ChangeExtension(output, ".wal-restore-maxparallel-1.log"), drillSerial.WalRestore.Text, ct);
        await File.WriteAllTextAsync(Path.ChangeExtension(output, $".wal-restore-maxparallel-{RunbookMaxParallel}.log"), drillParallel.WalRestore.Text, ct);
        Assert.That(found, Is.EqualTo(10), "every injected difference is named");
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static async Task<VerificationReport> VerifyAsync(RestoreDrill drill, DrillPreparation prep, DrillRestore restore, CancellationToken ct)
    {
        await drill.VerifyAsync(prep, restore, ct);
        return drill.LastVerification!;
    }

    /// <summary>Archiving runs at about 2 s a segment here (Python start-up and gzip): 10 minutes per million rows, at least 10.</summary>
    private static TimeSpan ArchiveLimit => TimeSpan.FromMinutes(10 * Math.Max(1, Math.Ceiling(Rows / 1_000_000.0)));

    /// <summary>Waits until the archiver has caught up with the bulk load (bounded), so the drill's own WAL switch measures only its segment.</summary>
    private static async Task WaitArchivedAsync(NpgsqlConnection db, CancellationToken ct)
    {
        var current = await db.ExecuteScalarAsync<string>("SELECT pg_walfile_name(pg_current_wal_lsn())");
        var watch = Stopwatch.StartNew();
        var limit = ArchiveLimit;
        while (watch.Elapsed < limit)
        {
            var archived = await db.ExecuteScalarAsync<string?>("SELECT last_archived_wal FROM pg_stat_archiver");
            if (archived is not null && string.CompareOrdinal(NextSegment(archived), current) >= 0) return; // everything before the current segment
            await Task.Delay(500, ct);
        }
        throw new TimeoutException($"the bulk load's WAL was not archived within {limit.TotalMinutes:0} minutes");
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

    /// <summary>RESTOREDRILLS_BENCH_REPEATS (default 2): restores of each kind in the harness comparison.</summary>
    private static int Repeats => int.Parse(Environment.GetEnvironmentVariable("RESTOREDRILLS_BENCH_REPEATS") ?? "2", CultureInfo.InvariantCulture);

    /// <summary>The harness comparison at one maxParallel: the best of each side, every sample, and the drill's restore still running.</summary>
    private sealed record HarnessPair((double Seconds, int Calls) Hand, DrillRestore Drill, string HandSamples, string DrillSamples, DrillRestore Live);

    /// <summary>
    /// By hand and by the drill, <see cref="Repeats"/> times each, in the order hand, drill, drill, hand, ...: a drift in
    /// the machine's speed falls on both sides; the faster of each side is compared (a restore slowed by another process
    /// on the machine says nothing of the harness).
    /// </summary>
    private static async Task<HarnessPair> HarnessPairAsync(RestoreDrill drill, DrillPreparation prep, int maxParallel, CancellationToken ct)
    {
        drill.WalMaxParallel = maxParallel;
        var hands = new List<(double Seconds, int Calls)>();
        var drills = new List<DrillRestore>();
        for (var i = 0; i < Repeats; i++)
        {
            if (i % 2 == 0) hands.Add(await ByHandAsync(drill, prep, maxParallel, ct));
            drills.Add(await drill.RestoreAsync(prep, ct));
            if (i % 2 == 1) hands.Add(await ByHandAsync(drill, prep, maxParallel, ct));
        }
        static string Samples(IEnumerable<double> seconds) => string.Join(" / ", seconds.Select(v => v.ToString("0.00", CultureInfo.InvariantCulture))) + " s";
        return new HarnessPair(hands.MinBy(h => h.Seconds), drills.MinBy(d => d.Restore)!, Samples(hands.Select(h => h.Seconds)),
            Samples(drills.Select(d => d.Restore.TotalSeconds)), drills[^1]);
    }

    /// <summary>
    /// The drill's restore without the drill: a new container, the same barman-cloud-restore, the same recovery
    /// settings and restore_command (<see cref="CnpgWalRestore"/>), the same target; promotion waited for with a shell
    /// loop. Timed inside the container, from the download's start to the first "not in recovery" answer.
    /// </summary>
    private static async Task<(double Seconds, int Calls)> ByHandAsync(RestoreDrill drill, DrillPreparation prep, int maxParallel, CancellationToken ct)
    {
        await using var byHand = await ContainersRun.Platform.CreateRestoredAsync(drill.Source, ct);
        var barman = new BarmanCloudCommands(drill.Source.Store);
        const string data = "/var/lib/postgresql/data";
        var settings = prep.Target.RecoverySettings(CnpgWalRestore.RestoreCommand);
        var script = $$"""
            set -euo pipefail
            t0=$(date +%s.%N)
            {{string.Join(' ', barman.Restore(prep.Backup.Backup.BackupId, data))}} >/dev/null
            {{CnpgWalRestore.InstallScript(barman, maxParallel, endOfWalStreamFlag: false, data)}}
            cat >> {{data}}/postgresql.auto.conf <<'END_OF_SETTINGS'
            {{string.Join('\n', settings)}}
            END_OF_SETTINGS
            {{StartAndAwaitPromotion(data)}}
            t1=$(date +%s.%N)
            echo "$t0 $t1 $(grep -c '^call ' {{CnpgWalRestore.LogPath}})"
            """;
        var t = await RunTimedAsync(byHand.ExecAsync, script, ct);
        return (t[1] - t[0], (int)t[2]);
    }

    /// <summary>pg_amcheck as an operator would run it on the restored server (the anchor of the physical checks).</summary>
    private static async Task<double> PgAmcheckByHandAsync(RestoreDrill drill, CancellationToken ct)
    {
        var script = $"""
            t0=$(date +%s.%N)
            pg_amcheck -h /var/run/postgresql -U {SourceInstance.Superuser} -d {SourceInstance.Database} --heapallindexed --jobs=2 >&2 || exit 1
            t1=$(date +%s.%N)
            echo "$t0 $t1"
            """;
        var t = await RunTimedAsync(drill.Restored!.ExecAsync, script, ct);
        return t[1] - t[0];
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

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
            {{StartAndAwaitPromotion(data)}}
            t3=$(date +%s.%N)
            echo "$t0 $t1 $t2 $t3 $n"
            """;
        var t = await RunTimedAsync(byHand.ExecAsync, script, ct);
        return new RawPipeline(t[1] - t[0], t[2] - t[1], t[3] - t[2], (int)t[4]);
    }

    /// <summary>
    /// Shell: starts the restored server in recovery and waits as an operator would, asking every 0.05 s (at most an
    /// hour) whether it has left recovery.
    /// </summary>
    private static string StartAndAwaitPromotion(string data) => $$"""
        touch {{data}}/recovery.signal
        pg_ctl -D {{data}} -l /var/lib/postgresql/by-hand.log -W start >/dev/null
        for ((i = 0; i < 72000; i++)); do
          [ "$(psql -h /var/run/postgresql -U {{SourceInstance.Superuser}} -d {{SourceInstance.Database}} -tAc 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ] && break
          sleep 0.05
        done
        """;

    /// <summary>Runs a script timed inside the container; its last line of output is its numbers (times in seconds).</summary>
    private static async Task<double[]> RunTimedAsync(Func<IList<string>, CancellationToken, Task<DotNet.Testcontainers.Containers.ExecResult>> exec, string script, CancellationToken ct)
    {
        var result = await exec(["bash", "-c", script], ct);
        Assert.That(result.ExitCode, Is.Zero, SecretMasker.Apply(result.Stderr + result.Stdout));
        return result.Stdout.Trim().Split('\n').Last().Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    }

    private static string OsName() =>
        File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=')[1].Trim('"') ?? "Linux"
            : Environment.OSVersion.ToString();
}
