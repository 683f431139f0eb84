using Azure.Storage.Blobs;
using RestoreDrills.Backups;
using RestoreDrills.Configuration;
using RestoreDrills.Failures;
using RestoreDrills.Inventory;
using RestoreDrills.ObjectStore;
using RestoreDrills.Platforms.Containers;
using RestoreDrills.RecoveryTargets;
using RestoreDrills.Reporting;
using RestoreDrills.Reporting.Evidence;
using RestoreDrills.Verification;

namespace RestoreDrills.Drills;

/// <summary>
/// A drill of backups someone else wrote: given only a barman-cloud store and a server name, inspect the store
/// (list and read only), restore the chosen backup into a throwaway container, and verify what can be known
/// without the source. Runbook: inspect → choose backup and target → restore → verify → report.
/// Nothing is ever written to the store.
/// </summary>
public sealed class ExistingStoreDrill(ContainersPlatform platform, ExistingStoreSettings store, DrillJournal journal) : IAsyncDisposable
{
    public RestoredInstance? Restored { get; private set; }

    private BlobContainerClient HostBlobs => new(store.Credentials.ConnectionStringFor(store.HostAddress), store.HostAddress.Container);

    public async Task<DrillOutcome> RunAsync(CancellationToken ct)
    {
        journal.Parameter("store", $"{store.Address.DestinationPath}/{store.ServerName}");
        journal.Parameter("credentials", store.Credentials.Form, excluded: true);

        var (inventory, record) = await InspectAsync(ct);
        var (backup, target) = await ChooseAsync(inventory, record, ct);
        var image = ImageFor(backup);
        await RequireBuiltAsync(image, backup.Info.PostgresMajor, ct);
        journal.Parameter("restored into", $"{image} (PostgreSQL {backup.Info.PostgresMajor}, the backup's major)");

        var location = new ObjectStoreLocation(store.Address.DestinationPath, store.ServerName, store.Credentials.ConnectionStringFor(store.Address));
        Restored = await platform.CreateRestoredForStoreAsync(image, store.DockerNetwork, location, store.Superuser, store.Database, ct);
        var restored = await RestoreSequence.RunAsync(Restored, backup.Id, target,
            new RestoreSequence.Options("barman-cloud-restore", platform.Settings.WalMaxParallel, Standalone: true), platform.Settings.Timeouts, journal, ct);
        var (recovery, download, restore, recoveryLog) = (restored.Recovery, restored.Download, restored.Restore, restored.RecoveryLog);
        // Latest has no source to compare with: the store says how far replay had to go. A fixed target: PostgreSQL says it stopped there.
        var replayEnd = await Restored.ReplayEndAsync(recovery.Timeline, ct);
        var stoppedWhereItShould = target.Kind != RecoveryTargetKind.Latest
            ? TargetReachedCheck.Evaluate(target, replayEnd, recoveryLog)
            : ArchiveEndCheck.Evaluate(inventory, backup, replayEnd, recoveryLog);

        var newest = inventory.Backups.Where(b => b.Restorable).Max(b => b.Info.Backup.EndTime);
        // No source: no RPO and no archive lag are claimed.
        var timings = new DrillTimings((backup.Info.Backup.EndTime - backup.Info.Backup.BeginTime).TotalSeconds, null,
            download.TotalSeconds, restore.TotalSeconds, null, (DateTimeOffset.UtcNow - newest).TotalHours);
        var outcome = await journal.StepAsync("Verify the restored copy against the expectations", async () =>
        {
            var server = new RestoredServerChecks(store.Expectations, record, target, (int)backup.Info.Backup.Timeline);
            List<CheckResult> checks =
            [
                .. await server.RunAsync(Restored.OpenAsync, Restored.OpenAsync, (name, text) => journal.Attach(name, text), ct),
                .. (stoppedWhereItShould is null ? [] : new[] { stoppedWhereItShould }),
                BudgetChecks.Within("newest restorable backup's age", timings.NewestBackupAgeHours!.Value * 3600, store.MaxBackupAge,
                    SettingsTable.BudgetBackupAge, CheckKind.Backup), // a stale backup is a backup fault, as in the CNPG preflight
                BudgetChecks.Within("RTO (download to promoted)", timings.RestoreSeconds, store.RtoBudget, SettingsTable.BudgetRto),
            ];
            checks.ForEach(journal.Check);
            journal.Record(new DrillFigures(target.ToString(), backup.Id, timings.RestoreSeconds, store.RtoBudget.TotalSeconds,
                null, null, checks.Count(c => c.Passed), checks.Count)); // no source, no RPO
            return new DrillOutcome(target, backup.Id, checks, timings) { Restored = new DrillOutcome.RestoredCopy($"{store.ServerName} restored", store.Database, RestoredInstance.VerifierRole) };
        });
        journal.Attach("drill summary", Summary(inventory, outcome), "text/csv", "csv");
        journal.Attach("timings.json", timings.ToJson(), "application/json", "json");
        return outcome;
    }

    private Task<(StoreInventory, DrillRecord?)> InspectAsync(CancellationToken ct) =>
        journal.StepAsync($"Inspect the store (list and read only): {store.Address.DestinationPath}/{store.ServerName}", async () =>
        {
            var blobs = HostBlobs;
            StoreInventory inventory;
            try
            {
                inventory = await StoreInventoryReader.ReadAsync(blobs, store.ServerName, $"{store.Address.DestinationPath}/{store.ServerName}", ct);
            }
            catch (Azure.RequestFailedException e)
            {
                throw new DrillFailure(FailureCause.RestoreFailed, $"the store cannot be listed: {e.Status} {e.ErrorCode ?? e.Message.Split('\n')[0]}");
            }
            journal.Attach("store inventory", inventory.Describe());
            var record = await DrillRecord.ReadAsync(blobs, store.ServerName, ct);
            if (record is not null) journal.Attach("drill record (written by a RestoreDrills source drill)", record.Describe(), "application/json", "json");
            journal.Progress($"{inventory.Backups.Count} base backup(s), {inventory.WalRuns.Where(r => r.Found).Sum(r => r.Count)} WAL segment(s); " +
                             $"window {inventory.FirstRecoverabilityPoint:u} .. {inventory.LastRecoverabilityPoint?.ArchivedAt:u}");
            return (inventory, record);
        });

    private Task<(InventoryBackup, RecoveryTarget)> ChooseAsync(StoreInventory inventory, DrillRecord? record, CancellationToken ct) =>
        journal.StepAsync($"Choose the base backup ({store.Backup}) and the recovery target ({store.Target})", () =>
        {
            if (store.Target.Recorded && record is null)
                throw new InvalidSettingException($"RESTOREDRILLS_STORE_TARGET=recorded, but no RestoreDrills drill recorded a target for {store.ServerName} ({DrillRecord.BlobName(store.ServerName)})");
            var done = inventory.Backups.Where(b => b.Info.Backup.Status == "DONE").ToList();
            if (done.Count == 0)
                throw new DrillFailure(FailureCause.BackupFailed, inventory.Backups.Count == 0
                    ? $"no base backup under {store.ServerName}/base/ in the store"
                    : $"no completed base backup under {store.ServerName}/base/ ({string.Join(", ", inventory.Backups.Select(b => $"{b.Id} {b.Info.Backup.Status}"))})",
                    inventory.Describe());

            var backup = Choose(done, record);
            var target = record is not null && store.Target.Recorded ? record.Target : store.Target.For(backup.Id);
            var findings = inventory.Check(backup, target);
            if (findings.Count > 0) journal.Attach("inspection findings", string.Join('\n', findings));
            if (findings.FirstOrDefault(f => f.Blocks) is { } blocker)
                throw new DrillFailure(blocker.Cause, $"inspection: {blocker.Message}", inventory.Describe());
            journal.Parameter("recoveryTarget", target.ToString(), excluded: true);
            journal.Parameter("backupId", backup.Id, excluded: true);
            journal.Progress($"restoring backup {backup.Id} (PostgreSQL {backup.Info.PostgresMajor}, ended {backup.Info.Backup.EndTime:u}) to {target}");
            return Task.FromResult((backup, target));
        });

    private InventoryBackup Choose(List<InventoryBackup> done, DrillRecord? record)
    {
        var backupId = store.Backup.BackupId ?? (store.Target.Recorded ? record!.BackupId : null);
        if (backupId is not null)
            return done.SingleOrDefault(b => b.Id == backupId) ?? throw new DrillFailure(FailureCause.BackupFailed,
                $"backup {backupId} is not among the completed backups of {store.ServerName} ({string.Join(", ", done.Select(b => b.Id))})");
        if (store.Backup.Before is { } before)
            return done.Where(b => b.Info.Backup.EndTime < before).MaxBy(b => b.Info.Backup.EndTime) ?? throw new DrillFailure(FailureCause.RestoreFailed,
                $"no completed backup ended before {before:O} (first ended {done.Min(b => b.Info.Backup.EndTime):O})");
        if (store.Target.Kind is RecoveryTargetKind.Time or RecoveryTargetKind.Lsn)
        {
            try
            {
                var chosen = BackupSelector.Select(done.Select(b => b.Info.Backup).ToList(), store.Target.For(""));
                return done.Single(b => b.Id == chosen.BackupId);
            }
            catch (BackupSelectionException e)
            {
                throw new DrillFailure(FailureCause.RestoreFailed, $"no base backup to restore from: {e.Message}");
            }
        }
        return done.MaxBy(b => b.Info.Backup.EndTime)!;
    }

    /// <summary>A project image (restoredrills/...) is built, never pulled: one not built yet is named with the command that builds it.</summary>
    private static async Task RequireBuiltAsync(string image, int major, CancellationToken ct)
    {
        if (image.StartsWith("restoredrills/", StringComparison.Ordinal) && !await DockerEngine.HasImageAsync(image, ct))
            throw new InvalidSettingException($"the store's backup is PostgreSQL {major}, and its image {image} is not built: " +
                                              $"run ./scripts/drill --postgres {major} once (it builds it), or name another in RESTOREDRILLS_POSTGRES_IMAGES");
    }

    private string ImageFor(InventoryBackup backup) =>
        store.ImagesByMajor.TryGetValue(backup.Info.PostgresMajor, out var image) ? image
            : throw new InvalidSettingException(
                $"backup {backup.Id} was taken by PostgreSQL {backup.Info.PostgresMajor}, and RESTOREDRILLS_POSTGRES_IMAGES names no image for it " +
                $"(it has {string.Join(", ", store.ImagesByMajor.Keys.Order())}): add {backup.Info.PostgresMajor}=<image with PostgreSQL {backup.Info.PostgresMajor} and barman-cloud>");

    private static string Summary(StoreInventory inventory, DrillOutcome outcome)
    {
        string[] lines =
        [
            "item,value",
            $"store,\"{inventory.Location}\"",
            $"recovery target,\"{outcome.Target}\"",
            $"base backup restored,{outcome.BackupId}",
            $"first recoverability point,{inventory.FirstRecoverabilityPoint:u}",
            $"last recoverability point,\"{inventory.LastRecoverabilityPoint?.Segment} archived {inventory.LastRecoverabilityPoint?.ArchivedAt:u}\"",
            $"RTO (download to promoted),{outcome.Timings.RestoreSeconds:0.0} s",
            $"newest backup's age,{outcome.Timings.NewestBackupAgeHours:0.0} h",
            $"checks passed,{outcome.Checks.Count(c => c.Passed)} of {outcome.Checks.Count}",
        ];
        return string.Join('\n', lines) + "\n";
    }

    public async ValueTask DisposeAsync()
    {
        if (Restored is not null) await Restored.DisposeAsync();
    }
}
