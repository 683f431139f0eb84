namespace RestoreDrills.Tests.Support;

/// <summary>The restore half of a drill without its journal: download, configure, recover. For tests that restore by hand.</summary>
public static class RestoreSteps
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    public static async Task<RecoveryResult> RunAsync(RestoredInstance restored, string backupId, RecoveryTarget target, TimeSpan? downloadTimeout = null,
        int walMaxParallel = 1)
    {
        await restored.DownloadBaseBackupAsync(backupId, downloadTimeout ?? DefaultTimeout, CancellationToken.None);
        await restored.ConfigureRecoveryAsync(target, CancellationToken.None, walMaxParallel);
        return await restored.RecoverAsync(DefaultTimeout, CancellationToken.None);
    }
}
