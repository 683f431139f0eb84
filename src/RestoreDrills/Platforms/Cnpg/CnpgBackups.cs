using System.Diagnostics;
using RestoreDrills.Failures;
using RestoreDrills.Platforms.Cnpg.Manifests;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// The backup a drill restores from: an on-demand Backup CR it creates and waits for, or the newest completed
/// one (the nightly drill of production backups need not take a new one).
/// </summary>
public static class CnpgBackups
{
    public static async Task<BackupStatus> TakeAsync(CnpgApi api, CnpgSettings settings, CrdSchemas schemas, string name, string runId, CancellationToken ct)
    {
        var manifest = CnpgManifests.Backup(name, api.Namespace, runId, settings.SourceCluster, settings.Method);
        schemas.Validate(manifest, $"Backup {name}");
        await api.CreateAsync(CnpgResources.Backups, manifest, ct);
        return await WaitAsync(api, name, settings.BackupTimeout, settings.PollInterval, ct);
    }

    /// <summary>
    /// Waits until the Backup completes. failed and walArchivingFailing end the wait at once, each as its own cause
    /// with the CR's status.error; a backup still pending or running at the timeout is reported as stuck.
    /// </summary>
    public static async Task<BackupStatus> WaitAsync(CnpgApi api, string name, TimeSpan timeout, TimeSpan poll, CancellationToken ct)
    {
        (BackupStatus Status, string Evidence, string Error)? last = null;
        return await new Poll($"Backup {name} completed", timeout, Configuration.SettingsTable.TimeoutCnpgBackup.Name, poll).UntilAsync(async (_, token) =>
        {
            var backup = await api.GetAsync(CnpgResources.Backups, name, token)
                         ?? throw new CnpgSetupException($"Backup {name} disappeared while the drill waited for it");
            var status = BackupStatus.From(backup);
            var evidence = backup["status"]?.ToJsonString(Json.Indented) ?? "no status";
            var error = status.Error is null ? "" : $": {OneLine(status.Error)}";
            last = (status, evidence, error);
            return status.Phase switch
            {
                BackupStatus.Completed => Poll.Answer<BackupStatus>.Of(status),
                BackupStatus.Failed or BackupStatus.InvalidDefinition =>
                    throw new DrillFailure(FailureCause.BackupFailed, $"Backup {name} {status.Phase}{error}", evidence),
                BackupStatus.WalArchivingFailing =>
                    throw new DrillFailure(FailureCause.WalArchivingFailed, $"Backup {name} walArchivingFailing (the source does not archive WAL){error}", evidence),
                _ => Poll.Answer<BackupStatus>.NotYet(status.Phase.Length == 0 ? "no phase" : status.Phase),
            };
        }, phase => new DrillFailure(FailureCause.BackupFailed,
            $"Backup {name} stuck: still '{phase}' after {timeout.TotalSeconds:0.#} s (RESTOREDRILLS_TIMEOUT_CNPG_BACKUP_SECONDS){last?.Error}", last?.Evidence), ct);
    }

    public static async Task<BackupStatus> NewestCompletedAsync(CnpgApi api, string sourceCluster, CancellationToken ct)
    {
        var backups = await api.ListAsync(CnpgResources.Backups, null, ct);
        return backups.Select(BackupStatus.From)
                   .Where(b => b.ClusterName == sourceCluster && b.IsCompleted && b.StoppedAt is not null)
                   .MaxBy(b => b.StoppedAt)
               ?? throw new DrillFailure(FailureCause.BackupFailed, $"no completed Backup of {sourceCluster} in namespace {api.Namespace}");
    }

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
