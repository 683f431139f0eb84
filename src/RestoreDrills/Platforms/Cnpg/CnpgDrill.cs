using System.Security.Cryptography;
using RestoreDrills.Drills;
using RestoreDrills.Failures;
using RestoreDrills.Inventory;
using RestoreDrills.Platforms.Cnpg.Manifests;
using RestoreDrills.RecoveryTargets;
using RestoreDrills.Reporting;
using RestoreDrills.Verification;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// One drill on CloudNative-PG, as the runbook reads: preflight the source → back up (or take the newest backup)
/// → restore into a new cluster to the target → wait until ready → connect → delete the restored cluster.
/// The restored cluster is deleted whatever happens (failure, cancellation).
/// </summary>
public sealed class CnpgDrill(CnpgApi api, CnpgSettings settings, CrdSchemas schemas, DrillJournal journal, string runId, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>
    /// Where the archive ends for a restore to latest, when the drill read it itself (a throwaway source's own
    /// pg_stat_archiver right after its last WAL switch); null: as the source Cluster reports it when the restore begins
    /// (<see cref="CnpgArchiveEnd"/>).
    /// </summary>
    public WalSegmentName? KnownArchiveEnd { get; init; }

    /// <summary>The restored cluster's name of the last run (for tests and the report), set before it is created.</summary>
    public string? RestoredClusterName { get; private set; }

    public async Task<DrillOutcome> RunAsync(Func<BackupStatus, RecoveryTarget> chooseTarget, CancellationToken ct)
    {
        await PreflightAsync(ct);
        var backup = await BackUpAsync(ct);
        var target = chooseTarget(backup);
        journal.Parameter("recoveryTarget", target.ToString(), excluded: true);
        return await RestoreAsync(backup, target, ct);
    }

    public Task<IReadOnlyList<PreflightCheck>> PreflightAsync(CancellationToken ct) =>
        journal.StepAsync($"Preflight: source cluster {settings.SourceCluster} healthy, archiving, backed up on schedule", async () =>
        {
            var checks = await CnpgPreflight.RunAsync(api, settings, _clock.GetUtcNow(), ct);
            foreach (var check in checks) journal.Check(check.Result);
            if (settings.ScheduledBackup.Length == 0)
                journal.NotChecked(CnpgPreflight.ScheduledBackupCheck, $"{Configuration.SettingsTable.CnpgScheduledBackup} is empty: no nightly schedule is named");
            if (checks.FirstOrDefault(c => !c.Passed) is { } failed)
            {
                if (failed.CauseIfFailed is { } cause) throw new DrillFailure(cause, $"preflight: {failed.Result}");
                throw new CnpgSetupException($"preflight: {failed.Result}");
            }
            return checks;
        });

    public Task<BackupStatus> BackUpAsync(CancellationToken ct) =>
        journal.StepAsync(settings.TakeBackup
            ? $"Back up: an on-demand Backup of {settings.SourceCluster} (method {Method})"
            : $"Take the newest completed Backup of {settings.SourceCluster}", async () =>
        {
            BackupStatus backup;
            try
            {
                backup = settings.TakeBackup
                    ? await CnpgBackups.TakeAsync(api, settings, schemas, UniqueName(settings.SourceCluster + "-drill"), runId, ct)
                    : await CnpgBackups.NewestCompletedAsync(api, settings.SourceCluster, ct);
            }
            catch (DrillFailure failure) when (failure.Evidence is not null)
            {
                journal.Attach("backup status", failure.Evidence, "application/json", "json");
                throw;
            }
            journal.Attach("backup", backup.Evidence);
            journal.Parameter("sourceBackupId", backup.BackupId ?? "", excluded: true);
            journal.Progress(backup.Evidence);
            return backup;
        });

    /// <summary>
    /// Restores the backup to the target into a new cluster, waits until it is ready, reaches its primary (a
    /// port-forward from outside the cluster) and verifies what a restored server proves without its source
    /// (amcheck over every relation, the expectations, a new timeline, archive_mode read from the server), then the
    /// extra checks given (e.g. row by row against the source). The cluster is deleted whatever happens.
    /// </summary>
    public async Task<DrillOutcome> RestoreAsync(BackupStatus backup, RecoveryTarget target, CancellationToken ct, RestoredVerification? verify = null)
    {
        RestoredCnpgCluster? restored = null;
        var outcome = await journal.StepAsync($"Restore into a new cluster to {target} and wait until ready",
            () => RestoreAndVerifyAsync(backup, target, verify, made => restored = made, ct));
        return CleanedUp(outcome, restored!);
    }

    /// <summary>
    /// A restored cluster the drill could not delete stays running (and billed) in the namespace: a finding in the
    /// report, not a warning line only; where a cluster is required (a pipeline), it fails the run as a set-up problem.
    /// </summary>
    private DrillOutcome CleanedUp(DrillOutcome outcome, RestoredCnpgCluster restored)
    {
        if (restored.CleanupProblem is not { } problem) return outcome;
        journal.Finding("the restored cluster and its PVCs are deleted", problem);
        if (settings.RequireCluster)
            throw new CnpgSetupException($"{problem} (RESTOREDRILLS_REQUIRE_CLUSTER=true: a cluster the drill leaves behind fails the run)");
        return outcome;
    }

    private async Task<DrillOutcome> RestoreAndVerifyAsync(BackupStatus backup, RecoveryTarget target, RestoredVerification? verify,
        Action<RestoredCnpgCluster> created, CancellationToken ct)
    {
        ReadsTheBackupsArchive(backup);
        // A time or LSN target the archive has not passed yet would end the replay before it: wait, or not tonight.
        await SourceArchive.WaitPastAsync(api, settings, backup, target, journal.Progress, ct);
        var (image, wal) = await FromSourceAsync(ct);
        var request = RestoreRequestFor(target, image, wal);
        // Latest: the archive's end the restore must reach, as the source reports it before the restore begins.
        var archiveEnd = target.Kind == RecoveryTargetKind.Latest ? KnownArchiveEnd ?? await CnpgArchiveEnd.AtRestoreStartAsync(api, settings, ct) : null;
        var manifest = CnpgManifests.RestoredCluster(request);
        schemas.Validate(manifest, $"restored cluster {request.ClusterName}");
        journal.Attach("restored cluster manifest", manifest.ToJsonString(Json.Indented), "application/json", "json");
        journal.Progress($"restoring with image {image}" + (settings.Method == BackupMethod.Plugin ? "" : $", wal.maxParallel {wal}"));

        await using var restored = await RestoredCnpgCluster.CreateAsync(api, settings, manifest, journal.Progress, ct);
        created(restored);
        var readyAfter = await WaitReadyAsync(restored, ct);
        var app = await restored.ConnectionAsync(ct);
        journal.Progress($"{restored.Name} ready after {readyAfter.TotalSeconds:0.0} s; application user {app}");
        var checks = ReadyChecks(restored, readyAfter, app);
        checks.ForEach(journal.Check);
        checks.AddRange(await VerifyDataAsync(restored, app, backup, target, archiveEnd, verify, ct));
        // CNPG's RTO is Cluster created to ready; the RPO needs the source's clock at the target, which a production drill lacks.
        journal.Record(new Reporting.Evidence.DrillFigures(target.ToString(), backup.Name, readyAfter.TotalSeconds, settings.RtoBudget.TotalSeconds,
            null, null, checks.Count(c => c.Passed), checks.Count));
        // CNPG's RTO is the Cluster created to ready.
        return new DrillOutcome(target, backup.BackupId ?? backup.Name, checks, DrillTimings.RestoreOnly(readyAfter)) { Restored = new DrillOutcome.RestoredCopy(restored.Name, app.Database, app.Username) };
    }

    private RestoreRequest RestoreRequestFor(RecoveryTarget target, RestoreImage image, WalParallelism wal) => new()
    {
        ClusterName = RestoredClusterName = UniqueName($"rd-{target.Kind.Id()}"),
        Namespace = api.Namespace,
        RunId = runId,
        Target = target,
        SourceServerName = settings.SourceServerName,
        Method = settings.Method,
        DestinationPath = settings.DestinationPath,
        Credentials = settings.Credentials,
        CredentialsSecret = settings.CredentialsSecret,
        ObjectStore = settings.ObjectStore,
        Image = image,
        Database = settings.Database,
        Owner = settings.EffectiveOwner,
        StorageSize = settings.StorageSize,
        Wal = wal,
    };

    private async Task<TimeSpan> WaitReadyAsync(RestoredCnpgCluster restored, CancellationToken ct)
    {
        try
        {
            return await restored.WaitReadyAsync(ct);
        }
        catch (DrillFailure failure) when (failure.Evidence is not null)
        {
            journal.Attach("restore evidence: cluster status and full-recovery pod logs", failure.Evidence);
            throw;
        }
    }

    private List<CheckResult> ReadyChecks(RestoredCnpgCluster restored, TimeSpan readyAfter, CnpgConnection app) =>
    [
        CheckResult.Pass(CheckKind.Restore, "restored cluster ready", $"{restored.Name} ready (phase \"{CnpgResources.HealthyPhase}\") after {readyAfter.TotalSeconds:0.0} s"),
        CheckResult.Pass(CheckKind.Restore, "application secret readable", $"{CnpgResources.AppSecret(restored.Name)}: {app}"),
        readyAfter <= settings.RtoBudget
            ? CheckResult.Pass(CheckKind.Budget, "RTO (created to ready) within budget", $"{readyAfter.TotalSeconds:0.0} s <= {settings.RtoBudget.TotalSeconds:0.#} s")
            : CheckResult.Fail(CheckKind.Budget, "RTO (created to ready) within budget", $"{readyAfter.TotalSeconds:0.0} s exceeds the budget of {settings.RtoBudget.TotalSeconds:0.#} s ({Configuration.SettingsTable.BudgetCnpgRto})"),
    ];

    /// <summary>The restored data, read as its application user (and amcheck as the superuser), directly or through a port-forward.</summary>
    private async Task<IReadOnlyList<CheckResult>> VerifyDataAsync(RestoredCnpgCluster restored, CnpgConnection app, BackupStatus backup, RecoveryTarget target,
        WalSegmentName? archiveEnd, RestoredVerification? verify, CancellationToken ct)
    {
        await using var forward = settings.ConnectVia == CnpgConnectVia.PortForward
            ? await PodPortForward.OpenAsync(api, await restored.PrimaryPodAsync(ct), CnpgResources.PostgresPort, journal.Progress, ct)
            : null;
        // The superuser secret's dbname is "*" (a pgpass wildcard): amcheck reads the data's database.
        var superuser = (await restored.SuperuserConnectionAsync(ct)) with { Database = app.Database };
        var access = new RestoredAccess(restored.Name,
            forward is null ? app : app.Via(forward.LocalEndpoint),
            forward is null ? superuser : superuser.Via(forward.LocalEndpoint));
        return await journal.StepAsync($"Verify the restored data as {app.Username} in {app.Database}" +
                                       (forward is null ? $" ({app.Host})" : $" through a port-forward to pod {forward.Pod}"), async () =>
        {
            var server = new RestoredServerChecks(settings.Expectations, Record: null, target, backup.Timeline
                ?? throw new CnpgSetupException($"Backup {backup.Name} is completed but its status has no beginWal: its timeline is unknown"));
            List<CheckResult> verified;
            try
            {
                verified =
                [
                    .. await server.RunAsync(c => access.OpenAsync(access.Superuser, c), c => access.OpenAsync(access.Data, c),
                        (name, text) => journal.Attach(name, text), ct),
                    .. target.Kind == RecoveryTargetKind.Latest ? await ReachedTheArchivesEndAsync(access, archiveEnd, backup, ct) : [],
                    .. verify is null ? [] : await verify(access, ct),
                ];
            }
            catch (Npgsql.NpgsqlException e) when (e is not Npgsql.PostgresException)
            {
                throw new DrillFailure(FailureCause.RestoreFailed, $"the restored cluster {restored.Name} is ready but does not answer at {access.Data}: {e.Message}" +
                                                                   (forward?.LastError is { } said ? $" (port-forward: {said})" : ""));
            }
            foreach (var check in verified) journal.Check(check);
            return (IReadOnlyList<CheckResult>)verified;
        });
    }

    /// <summary>Latest: replay reached the archive's end as the source reported it when the restore began (<see cref="CnpgArchiveEnd"/>).</summary>
    private async Task<IReadOnlyList<CheckResult>> ReachedTheArchivesEndAsync(RestoredAccess access, WalSegmentName? archiveEnd, BackupStatus backup, CancellationToken ct)
    {
        if (archiveEnd is not { } end)
        {
            journal.NotChecked(ArchiveEndCheck.Name, $"the source {settings.SourceCluster} reported no archived WAL segment (status.lastArchivedWAL) before the restore");
            return [];
        }
        await using var superuser = await access.OpenAsync(access.Superuser, ct);
        return [ArchiveEndCheck.Evaluate(end, await CnpgArchiveEnd.ReplayEndAsync(superuser, ct), CnpgTargets.SegmentSize(backup), recoveryLog: "")];
    }

    /// <summary>
    /// The restore reads the archive the drilled backup was written to: a serverName or destination path setting that
    /// points at another (e.g. an older archive, after a restore forced a new serverName) would restore its backups and
    /// pass the expectations without ever reading tonight's.
    /// </summary>
    private void ReadsTheBackupsArchive(BackupStatus backup)
    {
        if (backup.ServerName is { Length: > 0 } written && written != settings.SourceServerName)
            throw new CnpgSetupException($"Backup {backup.Name} was written under serverName '{written}', but the restore reads '{settings.SourceServerName}' " +
                                         "(RESTOREDRILLS_CNPG_SOURCE_SERVER_NAME): it would restore another archive's backups");
        if (backup.DestinationPath is { Length: > 0 } path && settings.DestinationPath.Length > 0 && path.TrimEnd('/') != settings.DestinationPath.TrimEnd('/'))
            throw new CnpgSetupException($"Backup {backup.Name} was written to '{path}', but the restore reads '{settings.DestinationPath}' " +
                                         "(RESTOREDRILLS_CNPG_DESTINATION_PATH): it would restore another archive's backups");
    }

    /// <summary>The configured image, else the source Cluster's own: a restore runs the major version that wrote the backup.</summary>
    /// <summary>
    /// What the restore takes from the source Cluster: its image and its WAL fetch parallelism. With
    /// RESTOREDRILLS_CNPG_POSTGRES_IMAGE set the source is not read (the drill goes straight to the create), and
    /// wal.maxParallel is RESTOREDRILLS_WAL_MAX_PARALLEL.
    /// </summary>
    private async Task<(RestoreImage Image, WalParallelism Wal)> FromSourceAsync(CancellationToken ct)
    {
        if (settings.PostgresImage.Length > 0)
            return (RestoreImage.Named(settings.PostgresImage, Configuration.SettingsTable.CnpgPostgresImage.Name), WalParallelism.Of(null, settings.WalMaxParallel));
        var source = await api.GetAsync(CnpgResources.Clusters, settings.SourceCluster, ct)
                     ?? throw new CnpgSetupException($"source cluster {settings.SourceCluster} not found in namespace {api.Namespace}: its image cannot be read (or set RESTOREDRILLS_CNPG_POSTGRES_IMAGE)");
        return (RestoreImage.OfSource(source), WalParallelism.Of(source, settings.WalMaxParallel));
    }

    private string Method => settings.Method == BackupMethod.Plugin ? "plugin" : "barmanObjectStore";

    /// <summary>Unique per drill and run (DNS-1123, well under the 63-character limit of the names CNPG derives).</summary>
    private string UniqueName(string prefix) =>
        $"{prefix}-{runId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}".ToLowerInvariant();
}
