using System.Text;
using Dapper;
using RestoreDrills.Backups;
using RestoreDrills.Configuration;
using RestoreDrills.Failures;
using RestoreDrills.Inventory;
using RestoreDrills.Platforms.Containers;
using RestoreDrills.RecoveryTargets;
using RestoreDrills.Reporting;
using RestoreDrills.Reporting.Evidence;
using RestoreDrills.Seeding;
using RestoreDrills.Verification;

namespace RestoreDrills.Drills;

/// <summary>
/// One restore drill on throwaway containers, in the order an auditor's runbook reads:
/// seed → back up → set the target → change data after it → restore to the target → verify.
/// The phases are public so a project test can tamper with the restored data between restore and verify
/// and prove the verification catches it.
/// </summary>
public sealed class RestoreDrill(ContainersPlatform platform, RecoveryTargetKind kind, DrillJournal journal) : IAsyncDisposable
{
    private SourceInstance? _source;
    private SourceAtTarget? _sourceAtTarget;

    /// <summary>Unique within the run: the server name, so the drill's archive path never collides with another drill's.</summary>
    public string DrillId { get; } = platform.NewServerName(kind.Id());

    public SourceInstance Source => _source ?? throw new InvalidOperationException("the source is started by PrepareAsync");
    public RestoredInstance? Restored { get; private set; }

    /// <summary>Tables the verification engine compares; the run's RESTOREDRILLS_VERIFY_TABLES when not set.</summary>
    public VerificationScope? VerifyTables { get; init; }

    /// <summary>WAL prefetch of this drill's restores; the run's RESTOREDRILLS_WAL_MAX_PARALLEL when not set.</summary>
    public int? WalMaxParallel { get; set; }

    /// <summary>How the source changes timeline after its base backup, before the target (not for immediate targets); none by default.</summary>
    public IReadOnlyList<TimelineChangeKind> TimelineChanges { get; init; } = [];

    /// <summary>An upgrade drill: the source runs the writing image, the restore the restoring image's barman-cloud (a sidecar).</summary>
    public BarmanUpgrade? Upgrade { get; init; }

    /// <summary>
    /// More writes on the source after the base backup and before the target (restored by WAL replay), e.g. more
    /// tables for the verification engine. Not for immediate targets, whose target is the backup's end.
    /// </summary>
    public Func<Npgsql.NpgsqlConnection, CancellationToken, Task>? WorkloadBeforeTarget { get; init; }

    /// <summary>The budgets VerifyAsync judges the timings against; the run's (RESTOREDRILLS_BUDGET_*) when not set.</summary>
    public Configuration.DrillBudgets? Budgets { get; set; }

    /// <summary>The verification engine's findings of the last VerifyAsync.</summary>
    public VerificationReport? LastVerification { get; private set; }

    public async Task<DrillOutcome> RunAsync(CancellationToken ct)
    {
        var preparation = await PrepareAsync(ct);
        var restore = await RestoreAsync(preparation, ct);
        return await VerifyAsync(preparation, restore, ct);
    }

    /// <summary>
    /// seed → back up → (timeline changes) → (workload) → markers → target → changes after it; what differs by target is its
    /// <see cref="TargetPlan"/>.
    /// </summary>
    public async Task<DrillPreparation> PrepareAsync(CancellationToken ct)
    {
        var plan = TargetPlan.For(kind);
        if (TimelineChanges.Count > 0 && !plan.AllowsWorkloadBeforeTarget)
            throw new InvalidOperationException("an immediate target is the backup's end: no timeline change can come before it");
        await StartSourceAsync(ct);
        var (backup, markersInBackup) = await SeedAndBackUpAsync(plan, ct);
        var afterChanges = await ChangeTimelinesAsync(ct);

        // After a timeline change the primary is another server: connected to anew.
        await using var db = await Source.OpenAsync(ct);
        if (WorkloadBeforeTarget is { } workload)
        {
            if (!plan.AllowsWorkloadBeforeTarget) throw new InvalidOperationException("an immediate target is the backup's end: no workload can come before it");
            await journal.StepAsync("Write the extra workload before the target (after the base backup: restored by WAL replay)", () => workload(db, ct));
        }
        if (plan.WaitPastBackupEnd) await SourceSteps.WaitPastBackupEndAsync(db, backup.Backup.EndTime, ct);
        var markers = markersInBackup ?? await SourceSteps.WriteMarkersAsync(journal, db, DrillId);

        var (target, targetClock, expected, changes, lag) = plan.FixedTarget
            ? await FixedTargetAsync(db, backup, markers, ct)
            : await LatestTargetAsync(db, ct);
        if (plan.BackupAfterTarget) await BackUpAsync("Back up again after the target (a backup the restore must not pick)", ct);
        // Latest has no fixed state to record: the archive's end moves.
        if (plan.FixedTarget) await RecordStateAsync(backup, target, expected, markers, ct);

        journal.Parameter("recoveryTarget", target.ToString(), excluded: true);
        journal.Parameter("sourceBackupId", backup.Backup.BackupId, excluded: true);
        return new DrillPreparation(target, targetClock, backup, expected, markers, changes, lag) { RowsAfterTimelineChanges = afterChanges };
    }

    private async Task<(BackupRun Backup, PreTargetMarkers? Markers)> SeedAndBackUpAsync(TargetPlan plan, CancellationToken ct)
    {
        var settings = platform.Settings;
        await using var db = await Source.OpenAsync(ct);
        await journal.StepAsync($"Seed backup_test: the runbook's five rows and {settings.SeedRowCount} generated rows (Bogus seed {settings.SeedRandomSeed})",
            () => BackupTestSeed.ApplyAsync(db, settings.SeedRandomSeed, settings.SeedRowCount, ct));
        var markers = plan.MarkersInBackup ? await SourceSteps.WriteMarkersAsync(journal, db, DrillId) : null;
        return (await BackUpAsync("Back up: barman-cloud-backup (gzip)", ct), markers);
    }

    /// <summary>
    /// The source changes timeline as a CNPG cluster does (<see cref="TimelineChanges"/>: a switchover on a rolling
    /// update, a restore from its own archive after the primary is lost), and after each change a row is written on the
    /// new timeline: the restore must follow every timeline to hold them.
    /// </summary>
    private async Task<IReadOnlyList<int>> ChangeTimelinesAsync(CancellationToken ct)
    {
        var rows = new List<int>();
        foreach (var (kind, n) in TimelineChanges.Select((k, i) => (k, i + 1)))
            rows.Add(await journal.StepAsync(kind == TimelineChangeKind.Switchover
                ? $"Switch over ({n} of {TimelineChanges.Count}): a standby joins (pg_basebackup), the primary stops, the standby is promoted (pg_promote)"
                : $"Lose the primary ({n} of {TimelineChanges.Count}): its WAL archived, a server restored from the store to its end is promoted in its place", async () =>
            {
                var timeouts = platform.Settings.Timeouts;
                if (kind == TimelineChangeKind.RestoreFromArchive) await Source.SwitchWalAndWaitArchivedAsync(timeouts.WalArchived, ct);
                var change = kind == TimelineChangeKind.Switchover
                    ? await Source.SwitchOverAsync(timeouts.Switchover, ct)
                    : await Source.RestoreFromArchiveAsync(timeouts.Switchover, ct);
                await using var db = await Source.OpenAsync(ct);
                var id = await db.ExecuteScalarAsync<int>("INSERT INTO backup_test (name) VALUES (@name) RETURNING id",
                    new { name = $"written on timeline {change.ToTimeline} ({DrillId})" });
                journal.Progress($"{change}; row {id} written on timeline {change.ToTimeline}");
                return id;
            }));
        if (TimelineChanges.Count > 0) journal.Parameter("timeline changes", string.Join("; ", Source.TimelineChanges));
        return rows;
    }

    /// <summary>The source with production durability, archiving to the store; its versions go into the report.</summary>
    private Task StartSourceAsync(CancellationToken ct) =>
        journal.StepAsync("Start the source: PostgreSQL archiving WAL with barman-cloud (gzip) to Azure Blob Storage", async () =>
        {
            var settings = platform.Settings;
            _source = await platform.StartSourceAsync(DrillId, ct, Upgrade?.WritingImage); // owned from here: disposed even if a check below fails
            var durability = await _source.DurabilitySettingsAsync(ct);
            if (Upgrade is null && PostgresImageCheck.Problem(settings.PostgresImage, settings.PostgresMajor, durability["server_version"]) is { } wrongImage)
                throw new InvalidSettingException(wrongImage);
            var barman = await _source.BarmanVersionAsync(ct);
            journal.Attach("source settings", string.Join('\n', durability.Select(d => $"{d.Key} = {d.Value}").Append($"barman-cloud = {barman}")));
            if (Upgrade is null)
            {
                RunFacts.Record("postgres.version", durability["server_version"]);
                RunFacts.Record("barman-cloud.version", barman);
            }
            else
            {
                journal.Parameter("PostgreSQL", durability["server_version"]);
                journal.Parameter("backup written by", barman);
            }
            if (SourceDurability.Problems(durability) is { Count: > 0 } problems)
                throw new InvalidOperationException($"the source does not run with production durability: {string.Join(", ", problems)}");
        });

    private Task<BackupRun> BackUpAsync(string step, CancellationToken ct) =>
        journal.StepAsync(step, async () =>
        {
            var run = await Source.BackUpAsync(platform.Settings.Timeouts.BackupCompletes, ct);
            journal.Attach("backup listing (barman-cloud-backup-list)", run.Listing, "application/json", "json");
            journal.Progress($"backup {run.Backup.BackupId} took {run.Duration.TotalSeconds:0.0} s, WAL {run.Backup.BeginWal}..{run.Backup.EndWal}");
            return run;
        });

    private Task RecordStateAsync(BackupRun backup, RecoveryTarget target, TableSnapshot expected, PreTargetMarkers markers, CancellationToken ct) =>
        journal.StepAsync("Record the state at the target next to the backups (.restoredrills/, for existing-store drills)", async () =>
        {
            var record = DrillRecord.Of(Source.Store.ServerName, backup.Backup.BackupId, target, expected, markers);
            await record.WriteAsync(platform.Store.Blobs, ct);
            journal.Attach("drill record", record.Describe(), "application/json", "json");
        });

    public async Task<DrillRestore> RestoreAsync(DrillPreparation prep, CancellationToken ct)
    {
        var settings = platform.Settings;
        var backupId = await journal.StepAsync("Choose the base backup (as CNPG: newest ended before a time/LSN target, else explicit)", async () =>
        {
            var listing = await Source.ListBackupsAsync(ct);
            journal.Attach("backups in the store", listing, "application/json", "json");
            BaseBackup chosen;
            try
            {
                chosen = BackupSelector.Select(BaseBackup.ParseListing(listing), prep.Target);
            }
            catch (BackupSelectionException e)
            {
                throw new DrillFailure(FailureCause.RestoreFailed, $"no base backup to restore from: {e.Message}", listing);
            }
            journal.Progress($"restoring from backup {chosen.BackupId} (ended {chosen.EndTime:O}) to {prep.Target}");
            return chosen.BackupId;
        });

        if (Restored is not null) await Restored.DisposeAsync(); // a drill restores again: one restored server at a time
        Restored = Upgrade is null
            ? await platform.CreateRestoredAsync(Source, ct)
            : await platform.CreateRestoredWithSidecarAsync(Source, Upgrade.WritingImage, Upgrade.RestoringImage, ct);
        var restoringBarman = "barman-cloud-restore";
        if (Upgrade is not null)
        {
            try
            {
                restoringBarman = $"{await Restored.SidecarBarmanVersionAsync(ct)} in a sidecar of {Upgrade.RestoringImage}";
            }
            catch (ContainerCommandException e)
            {
                throw new InvalidSettingException($"the restoring image {Upgrade.RestoringImage} has no working barman-cloud-restore: {e.Message}");
            }
            journal.Parameter("restored by", restoringBarman);
        }
        return await RestoreSequence.RunAsync(Restored, backupId, prep.Target,
            new RestoreSequence.Options(restoringBarman, WalMaxParallel ?? settings.WalMaxParallel), settings.Timeouts, journal, ct);
    }

    public async Task<DrillOutcome> VerifyAsync(DrillPreparation prep, DrillRestore restore, CancellationToken ct)
    {
        var outcome = await journal.StepAsync("Verify the restored data and the timings", async () =>
        {
            var restored = Restored ?? throw new InvalidOperationException("RestoreAsync comes first");
            await using var db = await restored.OpenAsync(ct);
            var actual = await ReadRestoredRowsAsync(db);
            var archiveMode = await db.ExecuteScalarAsync<string>("SHOW archive_mode") ?? "";
            var replayEnd = await restored.ReplayEndAsync(restore.Recovery.Timeline, ct);
            var stoppedWhereItShould = prep.Target.Kind == RecoveryTargetKind.Latest
                ? await ArchiveEndAsync(restore, replayEnd, ct)
                : TargetReachedCheck.Evaluate(prep.Target, replayEnd, restore.RecoveryLog);
            var differences = RowDifference.Between(prep.Expected, actual);
            var engine = await VerifyWholeDatabaseAsync(ct);
            var timings = new DrillTimings(
                prep.Backup.Duration.TotalSeconds, prep.WalArchiveLag.TotalSeconds, restore.Download.TotalSeconds,
                restore.Restore.TotalSeconds, DrillTimings.Rpo(prep.TargetClock, restore.Recovery.LastReplayedCommit));
            var budgets = Budgets ?? platform.Settings.Budgets;

            List<CheckResult> checks =
            [
                RestoreChecks.CanonicalRowsPresent(actual),
                RestoreChecks.MarkersBeforeTargetPresent(prep.Expected, actual, prep.Markers),
                RestoreChecks.InsertsAfterTargetAbsent(actual, prep.Changes),
                RestoreChecks.UpdatesAfterTargetAbsent(prep.Expected, actual, prep.Changes),
                RestoreChecks.DeletesAfterTargetAbsent(prep.Expected, actual, prep.Changes),
                RestoreChecks.AllRowsEqualSourceAtTarget(differences, prep.Expected.Rows.Count),
                RestoreChecks.TimelineAdvanced(Source.TimelineChanges.LastOrDefault()?.ToTimeline ?? prep.Backup.Backup.Timeline, restore.Recovery.Timeline),
                .. prep.RowsAfterTimelineChanges.Count == 0 ? [] : new[] { RestoreChecks.RowsAfterTimelineChangesPresent(prep.Expected, actual, prep.RowsAfterTimelineChanges) },
                RestoreChecks.ArchivingOff(archiveMode),
                stoppedWhereItShould,
                .. engine.Checks(),
                .. BudgetChecks.Evaluate(timings, budgets),
            ];
            checks.ForEach(journal.Check);
            AttachComparisons(prep, actual, differences, engine);
            journal.Record(new DrillFigures(prep.Target.ToString(), restore.BackupId, timings.RestoreSeconds, budgets.Rto.TotalSeconds,
                timings.RpoSeconds, budgets.Rpo.TotalSeconds, checks.Count(c => c.Passed), checks.Count));
            return new DrillOutcome(prep.Target, restore.BackupId, checks, timings) { Restored = new DrillOutcome.RestoredCopy(DrillId, SourceInstance.Database, SourceInstance.Superuser) };
        });
        // On the drill itself, not inside a step: the summary first (what an auditor reads), then the timings for tools.
        journal.Attach("drill summary", Summary(prep, outcome), "text/csv", "csv");
        journal.Attach("timings.json", outcome.Timings.ToJson(), "application/json", "json");
        return outcome;
    }

    private static async Task<TableSnapshot> ReadRestoredRowsAsync(Npgsql.NpgsqlConnection db)
    {
        try
        {
            return await TableSnapshot.ReadAsync(db);
        }
        catch (Npgsql.PostgresException e)
        {
            // A page that fails its checksum, a relation file the restore never wrote, a missing table.
            throw new DrillFailure(FailureCause.IntegrityViolation, $"backup_test cannot be read on the restored server: {e.SqlState} {e.MessageText}");
        }
    }

    private void AttachComparisons(DrillPreparation prep, TableSnapshot actual, IReadOnlyList<RowDifference> differences, VerificationReport engine)
    {
        journal.Attach("rows compared", RowsCompared(prep, actual), "text/csv", "csv");
        journal.Attach("row differences", RowDifference.ToCsv(differences), "text/csv", "csv");
        journal.Attach("verification", engine.ToCsv(), "text/csv", "csv");
        journal.Attach("verification findings (schema, physical)", engine.FindingsCsv(), "text/csv", "csv");
        journal.Attach("row differences (verification engine)", engine.RowDifferencesCsv(), "text/csv", "csv");
    }

    /// <summary>
    /// Latest: replay must have reached the archive's end as the inventory reads the store (the rows compared with the
    /// source would miss a short replay when the changes it lost came after the last check of the source; the store does
    /// not). A segment missing mid-archive is where replay stops, a history file forking into no WAL where it turns: named.
    /// </summary>
    private async Task<CheckResult> ArchiveEndAsync(DrillRestore restore, ReplayEnd end, CancellationToken ct)
    {
        var inventory = await StoreInventoryReader.ReadAsync(platform.Store.Blobs, Source.Store.ServerName, $"{Source.Store.DestinationPath}/{Source.Store.ServerName}", ct);
        journal.Attach("store inventory", inventory.Describe());
        var backup = inventory.Backups.Single(b => b.Id == restore.BackupId);
        return ArchiveEndCheck.Evaluate(inventory, backup, end, restore.RecoveryLog)
            ?? throw new InvalidOperationException($"the store holds no WAL for backup {backup.Id}: {inventory.Describe()}");
    }

    /// <summary>The verification engine: the restored copy against the source read as of the target (its exported snapshot).</summary>
    private async Task<VerificationReport> VerifyWholeDatabaseAsync(CancellationToken ct)
    {
        var scope = VerifyTables ?? platform.Settings.VerifyTables;
        var frozen = _sourceAtTarget ?? throw new InvalidOperationException("the source's state at the target is captured by PrepareAsync");
        var restored = Restored ?? throw new InvalidOperationException("RestoreAsync comes first");
        var report = await journal.StepAsync($"Verification engine: tables '{scope}' against the source at the target, schema, amcheck", async () =>
        {
            var engine = new VerificationEngine(frozen.Side(Source.OpenAsync), new DatabaseSide("restored server", restored.OpenAsync), frozen.Sequences);
            var found = await engine.RunAsync(scope, ct);
            journal.Progress($"verified {found.Tables.Count} table(s), {found.Tables.Sum(t => t.ExpectedRows)} rows in {found.Duration.TotalSeconds:0.0} s: "
                             + $"{found.RowDifferences.Count()} row difference(s), {found.SchemaDifferences.Count} schema difference(s), {found.Physical.Findings.Count} physical finding(s)");
            return found;
        });
        LastVerification = report;
        return report;
    }

    /// <summary>Right at the target: the source frozen for the verification engine (see <see cref="SourceAtTarget"/>).</summary>
    private async Task FreezeSourceAtTargetAsync(CancellationToken ct)
    {
        if (_sourceAtTarget is not null) await _sourceAtTarget.DisposeAsync();
        _sourceAtTarget = await SourceAtTarget.CaptureAsync(Source.OpenAsync, ct);
    }

    private async Task<(RecoveryTarget, DateTimeOffset, TableSnapshot, PostTargetChanges, TimeSpan)> FixedTargetAsync(
        Npgsql.NpgsqlConnection db, BackupRun backup, PreTargetMarkers markers, CancellationToken ct)
    {
        var (target, clock, expected) = await journal.StepAsync($"Set the {kind.Id()} target and record the source's state at it", async () =>
        {
            var t = await SourceWorkload.SetFixedTargetAsync(db, kind, markers, backup.Backup.BackupId, $"restoredrills-{DrillId}");
            var targetClock = kind == RecoveryTargetKind.Immediate ? backup.Backup.EndTime : await SourceWorkload.ServerClockAsync(db);
            var snapshot = await TableSnapshot.ReadAsync(db);
            await FreezeSourceAtTargetAsync(ct);
            journal.Progress($"target {t}; {snapshot.Rows.Count} rows expected");
            return (t, targetClock, snapshot);
        });
        var changes = await SourceSteps.ChangeDataAfterTargetAsync(journal, db, DrillId, expected);
        var lag = await journal.StepAsync("Switch WAL and wait until it is archived (pg_stat_archiver)",
            () => Source.SwitchWalAndWaitArchivedAsync(platform.Settings.Timeouts.WalArchived, ct));
        return (target, clock, expected, changes, lag);
    }

    /// <summary>
    /// Latest: everything archived is the target. Changes committed after the last archived WAL switch sit in a
    /// segment that was never archived: they are absent from any restore, and their age is the real RPO.
    /// </summary>
    private async Task<(RecoveryTarget, DateTimeOffset, TableSnapshot, PostTargetChanges, TimeSpan)> LatestTargetAsync(
        Npgsql.NpgsqlConnection db, CancellationToken ct)
    {
        var lag = await journal.StepAsync("Switch WAL and wait until it is archived (pg_stat_archiver): the end of the archive is the target",
            () => Source.SwitchWalAndWaitArchivedAsync(platform.Settings.Timeouts.WalArchived, ct));
        var expected = await TableSnapshot.ReadAsync(db);
        await FreezeSourceAtTargetAsync(ct);
        var changes = await SourceSteps.ChangeDataAfterTargetAsync(journal, db, DrillId, expected);
        var lastSourceCommit = await SourceWorkload.ServerClockAsync(db);
        return (RecoveryTarget.Latest(), lastSourceCommit, expected, changes, lag);
    }

    private string Summary(DrillPreparation prep, DrillOutcome outcome)
    {
        var b = Budgets ?? platform.Settings.Budgets;
        var t = outcome.Timings;
        var rows = outcome.Checks.Single(c => c.Name.StartsWith("backup_test equals", StringComparison.Ordinal));
        string Verdict(bool ok) => ok ? "met" : "MISSED";
        string[] lines =
        [
            "item,value,objective,verdict",
            $"recovery target,\"{outcome.Target}\",,",
            $"base backup restored,{outcome.BackupId},,",
            $"source backup taken,{prep.Backup.Backup.BackupId},,",
            $"RTO (download to promoted),{t.RestoreSeconds:0.0} s,<= {b.Rto.TotalSeconds:0.#} s,{Verdict(t.RestoreSeconds <= b.Rto.TotalSeconds)}",
            $"RPO (target vs last replayed commit),{t.RpoSeconds:0.000} s,<= {b.Rpo.TotalSeconds:0.#} s,{Verdict(t.RpoSeconds <= b.Rpo.TotalSeconds)}",
            $"backup duration,{t.BackupSeconds:0.0} s,<= {b.Backup.TotalSeconds:0.#} s,{Verdict(t.BackupSeconds <= b.Backup.TotalSeconds)}",
            $"WAL archive lag,{t.WalArchiveLagSeconds:0.0} s,<= {b.WalArchiveLag.TotalSeconds:0.#} s,{Verdict(t.WalArchiveLagSeconds <= b.WalArchiveLag.TotalSeconds)}",
            $"rows verified (backup_test),{prep.Expected.Rows.Count},,",
            $"row check,\"{rows.Detail}\",0 differences,{Verdict(rows.Passed)}",
            $"checks passed,{outcome.Checks.Count(c => c.Passed)} of {outcome.Checks.Count},all,{Verdict(outcome.Passed)}",
        ];
        return string.Join('\n', lines) + "\n";
    }

    private static string RowsCompared(DrillPreparation prep, TableSnapshot actual)
    {
        var ids = BackupTestSeed.CanonicalNames.Select(n => prep.Expected.Rows.Values.FirstOrDefault(r => r.Name == n)?.Id ?? -1)
            .Concat(prep.Markers.Ids).Concat(prep.Changes.InsertedIds).Concat(prep.Changes.UpdatedIds).Concat(prep.Changes.DeletedIds)
            .Where(id => id > 0).Distinct().Order();
        var csv = new StringBuilder("id,role,expected_name,restored_name,equal\n");
        foreach (var id in ids)
        {
            var role = prep.Markers.Ids.Contains(id) ? "marker before target"
                : prep.Changes.InsertedIds.Contains(id) ? "inserted after target"
                : prep.Changes.UpdatedIds.Contains(id) ? "updated after target"
                : prep.Changes.DeletedIds.Contains(id) ? "deleted after target" : "canonical";
            prep.Expected.Rows.TryGetValue(id, out var expected);
            actual.Rows.TryGetValue(id, out var restored);
            csv.Append($"{id},{role},{CsvCell.Of(expected?.Name)},{CsvCell.Of(restored?.Name)},{(expected == restored ? "yes" : "no")}\n");
        }
        return csv.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (Restored is not null) await Restored.DisposeAsync();
        if (_sourceAtTarget is not null) await _sourceAtTarget.DisposeAsync();
        if (_source is not null) await _source.DisposeAsync();
    }
}
