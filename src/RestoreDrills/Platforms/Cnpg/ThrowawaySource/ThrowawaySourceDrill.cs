using System.Security.Cryptography;
using Dapper;
using Npgsql;
using RestoreDrills.Backups;
using RestoreDrills.Configuration;
using RestoreDrills.Drills;
using RestoreDrills.Failures;
using RestoreDrills.Inventory;
using RestoreDrills.Platforms.Cnpg.Manifests;
using RestoreDrills.RecoveryTargets;
using RestoreDrills.Reporting;
using RestoreDrills.Seeding;
using RestoreDrills.Verification;

namespace RestoreDrills.Platforms.Cnpg.ThrowawaySource;

/// <summary>
/// The full card on CloudNative-PG, in a source of the drill's own, as the runbook reads: create the source Cluster →
/// seed backup_test → back up (a Backup CR) → write markers and set the target → change data after it → restore into
/// a new Cluster → verify row by row against the source at the target → delete both clusters. What `dotnet test`
/// runs against a staging cluster before a CNPG, PostgreSQL or barman upgrade.
/// </summary>
public sealed class ThrowawaySourceDrill(CnpgApi api, CnpgSettings settings, CrdSchemas schemas, DrillJournal journal, string runId, SeedPlan seed)
{
    /// <summary>
    /// The source (a primary and a replica) switches over after its backup, as on a rolling update, and a row is written
    /// on the new timeline: the restore must follow the timeline change to hold it. Not for immediate targets.
    /// </summary>
    public bool SwitchOverAfterBackup { get; init; }

    public async Task<DrillOutcome> RunAsync(RecoveryTargetKind kind, CancellationToken ct)
    {
        if (SwitchOverAfterBackup && kind == RecoveryTargetKind.Immediate)
            throw new InvalidOperationException("an immediate target is the backup's end: no switchover can come before it");
        var name = $"rds-{kind.Id()}-{runId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}".ToLowerInvariant();
        var image = await ImageAsync(ct);
        var instances = SwitchOverAfterBackup ? 2 : 1;
        await using var source = await journal.StepAsync($"Create the throwaway source cluster {name} ({image}, {instances} instance(s)), archiving under its own serverName",
            () => ThrowawaySourceCluster.CreateAsync(api, settings, schemas, name, runId, image, instances, journal, ct));
        var drill = new CnpgDrill(api, source.Settings, schemas, journal, runId);
        var (backup, markersInBackup) = await SeedAndBackUpAsync(kind, source, drill, name, ct);
        if (SwitchOverAfterBackup) await SwitchOverAsync(source, name, ct);

        // After a switchover the primary is another pod: connected to anew.
        await using var db = await source.OpenAsync(ct);
        if (kind == RecoveryTargetKind.Time)
            await SourceSteps.WaitPastBackupEndAsync(db, backup.StoppedAt ?? throw new CnpgSetupException($"Backup {backup.Name} is completed but has no stoppedAt"), ct);
        var markers = markersInBackup ?? await SourceSteps.WriteMarkersAsync(journal, db, name);

        var atTarget = await journal.StepAsync($"Set the {kind.Id()} target and record the source's state at it", () => SetTargetAsync(kind, db, source, backup, markers, ct));
        await using var frozen = atTarget.Frozen;
        // Latest: the end of the archive is the target. A change after it could be archived by archive_timeout at any
        // moment before the restore reads the archive, so "absent" would be a race: latest writes none.
        var changes = kind == RecoveryTargetKind.Latest ? null
            : await SourceSteps.ChangeDataAfterTargetAsync(journal, db, name, atTarget.Expected);
        if (kind != RecoveryTargetKind.Latest)
            await journal.StepAsync("Archive WAL past the target (pg_switch_wal, pg_stat_archiver)", () => ArchivePastTargetAsync(db, atTarget.Target, ct));
        if (kind is RecoveryTargetKind.Time or RecoveryTargetKind.Lsn)
            await journal.StepAsync("Back up again after the target (a backup CNPG must not pick)", async () =>
            {
                var later = await CnpgBackups.TakeAsync(api, source.Settings, schemas, $"{name}-after", runId, ct);
                journal.Progress($"later backup {later.BackupId} stopped at {later.StoppedAt:O}");
            });

        journal.Parameter("recoveryTarget", atTarget.Target.ToString(), excluded: true);
        // Latest: the archive's end as the source's own pg_stat_archiver said right after the target, not a status report that may lag it.
        var restoring = new CnpgDrill(api, source.Settings, schemas, journal, runId) { KnownArchiveEnd = atTarget.ArchiveEnd };
        return await restoring.RestoreAsync(backup, atTarget.Target, ct, Verify(atTarget, markers, changes, source));
    }

    private async Task<(BackupStatus Backup, PreTargetMarkers? Markers)> SeedAndBackUpAsync(RecoveryTargetKind kind, ThrowawaySourceCluster source,
        CnpgDrill drill, string name, CancellationToken ct)
    {
        await using var db = await source.OpenAsync(ct);
        await journal.StepAsync($"Seed backup_test in {settings.Database}: the runbook's five rows and {seed.Rows} generated rows (Bogus seed {seed.RandomSeed}), owned by {settings.EffectiveOwner}", async () =>
        {
            await BackupTestSeed.ApplyAsync(db, seed.RandomSeed, seed.Rows, ct);
            // Owned by the application user, as the runbook's tables are: the restored cluster's app secret must read them.
            var alter = await db.ExecuteScalarAsync<string>("SELECT format('ALTER TABLE backup_test OWNER TO %I', @owner::text)", new { owner = settings.EffectiveOwner });
            await db.ExecuteAsync(alter!);
        });
        // Immediate restores stop at the backup's end: its markers must be in the backup itself.
        var markers = kind == RecoveryTargetKind.Immediate ? await SourceSteps.WriteMarkersAsync(journal, db, name) : null;
        return (await drill.BackUpAsync(ct), markers);
    }

    /// <summary>A switchover as `kubectl cnpg promote` asks for one, then a row written on the new timeline.</summary>
    private Task SwitchOverAsync(ThrowawaySourceCluster source, string name, CancellationToken ct) =>
        journal.StepAsync($"Switch over the source (as kubectl cnpg promote: status.targetPrimary to its replica) and write a row on the new timeline", async () =>
        {
            var (primary, timeline) = await source.SwitchOverAsync(ct);
            await using var db = await source.OpenAsync(ct);
            var id = await db.ExecuteScalarAsync<int>("INSERT INTO backup_test (name) VALUES (@name) RETURNING id", new { name = $"written on timeline {timeline} ({name})" });
            journal.Parameter("switchover", $"{primary} promoted, timeline {timeline}");
            journal.Progress($"switched over to {primary} (timeline {timeline}); row {id} written on it");
        });

    /// <summary>
    /// Row by row against the source at the target: the containers drills' row checks on backup_test (as the app user),
    /// then the verification engine over every table and the schema, the source read in its snapshot at the target.
    /// </summary>
    private RestoredVerification Verify(TargetState atTarget, PreTargetMarkers markers, PostTargetChanges? changes, ThrowawaySourceCluster source) =>
        async (restored, ct) =>
        {
            var rows = await RestoredRowChecks.For(atTarget.Expected, markers, changes)(restored, ct);
            var engine = new VerificationEngine(atTarget.Frozen.Side(source.OpenAsync),
                new DatabaseSide("restored cluster", c => restored.OpenAsync(restored.Superuser, c)), atTarget.Frozen.Sequences);
            var report = await journal.StepAsync("Verification engine: every table against the source at the target, and the schema", async () =>
            {
                var found = await engine.RunAsync(VerificationScope.AllTables, ct);
                journal.Progress($"verified {found.Tables.Count} table(s), {found.Tables.Sum(t => t.ExpectedRows)} rows: " +
                                 $"{found.RowDifferences.Count()} row difference(s), {found.SchemaDifferences.Count} schema difference(s)");
                return found;
            });
            journal.Attach("verification", report.ToCsv(), "text/csv", "csv");
            journal.Attach("verification findings (schema)", report.FindingsCsv(), "text/csv", "csv");
            journal.Attach("row differences (verification engine)", report.RowDifferencesCsv(), "text/csv", "csv");
            // amcheck over every relation is a check of every CNPG drill already (RestoredServerChecks).
            return [.. rows, .. report.Checks().Where(c => c.Name != VerificationReport.PhysicalCheck)];
        };

    private async Task<TargetState> SetTargetAsync(RecoveryTargetKind kind, NpgsqlConnection db, ThrowawaySourceCluster source, BackupStatus backup,
        PreTargetMarkers markers, CancellationToken ct)
    {
        var backupId = backup.BackupId ?? throw new CnpgSetupException($"Backup {backup.Name} is completed but names no backupId");
        WalSegmentName? archiveEnd = null;
        if (kind == RecoveryTargetKind.Latest)
        {
            await WalSwitch.SwitchAndWaitArchivedAsync(db, settings.ArchiveTimeout, Configuration.SettingsTable.TimeoutCnpgArchive.Name, Configuration.SettingsTable.ArchiverPoll.DefaultDuration, ct);
            archiveEnd = CnpgArchiveEnd.Segment(await db.ExecuteScalarAsync<string>("SELECT last_archived_wal FROM pg_stat_archiver"));
        }
        var target = kind == RecoveryTargetKind.Latest ? RecoveryTarget.Latest()
            : await SourceWorkload.SetFixedTargetAsync(db, kind, markers, backupId, $"restoredrills-{source.Name}");
        var expected = await TableSnapshot.ReadAsync(db);
        var frozen = await SourceAtTarget.CaptureAsync(source.OpenAsync, ct);
        journal.Progress($"target {target}; {expected.Rows.Count} rows expected");
        return new TargetState(target, expected, frozen, archiveEnd);
    }

    /// <summary>
    /// Closes the WAL holding the target and the changes after it, and waits until it is archived: replay must meet a
    /// record past the target, or PostgreSQL ends "recovery ended before configured recovery target was reached". For a
    /// time target the archive's clock must be a moment past it (<see cref="SourceArchive.PastTimeTarget"/>); a mid-segment
    /// LSN target counts as passed once the segment after it is archived (<see cref="SourceArchive.SegmentHolding"/>).
    /// </summary>
    private async Task ArchivePastTargetAsync(NpgsqlConnection db, RecoveryTarget target, CancellationToken ct)
    {
        if (target.Kind == RecoveryTargetKind.Time)
        {
            var past = DateTimeOffset.Parse(target.Value, System.Globalization.CultureInfo.InvariantCulture) + SourceArchive.PastTimeTarget + Configuration.SettingsTable.TargetClockMargin.DefaultDuration;
            var now = await SourceWorkload.ServerClockAsync(db);
            if (now < past) await Task.Delay(past - now, ct);
        }
        var lag = await WalSwitch.SwitchAndWaitArchivedAsync(db, settings.ArchiveTimeout, Configuration.SettingsTable.TimeoutCnpgArchive.Name, Configuration.SettingsTable.ArchiverPoll.DefaultDuration, ct);
        if (target.Kind == RecoveryTargetKind.Lsn)
        {
            await db.ExecuteAsync("SELECT pg_create_restore_point('restoredrills-after-the-lsn-target')");
            lag = await WalSwitch.SwitchAndWaitArchivedAsync(db, settings.ArchiveTimeout, Configuration.SettingsTable.TimeoutCnpgArchive.Name, Configuration.SettingsTable.ArchiverPoll.DefaultDuration, ct);
        }
        journal.Progress($"archived past the target: last switch archived after {lag.TotalSeconds:0.0} s");
    }

    /// <summary>The configured image, else the production source Cluster's: the upgrade under test is the image the drill runs.</summary>
    private async Task<RestoreImage> ImageAsync(CancellationToken ct)
    {
        if (settings.PostgresImage.Length > 0) return RestoreImage.Named(settings.PostgresImage, Configuration.SettingsTable.CnpgPostgresImage.Name);
        if (settings.SourceCluster.Length > 0 && await api.GetAsync(CnpgResources.Clusters, settings.SourceCluster, ct) is { } production)
            return RestoreImage.OfSource(production);
        throw new CnpgSetupException($"the throwaway source needs an image: set RESTOREDRILLS_CNPG_POSTGRES_IMAGE, or RESTOREDRILLS_CNPG_SOURCE_CLUSTER to a cluster in {api.Namespace} whose image it takes");
    }

    /// <summary>The target, the source's backup_test at it, the source frozen at it, and (latest) the archive's end then.</summary>
    private sealed record TargetState(RecoveryTarget Target, TableSnapshot Expected, SourceAtTarget Frozen, WalSegmentName? ArchiveEnd);
}
