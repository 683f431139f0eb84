using System.Text.Json;
using RestoreDrills.RecoveryTargets;
using RestoreDrills.Verification;

namespace RestoreDrills.Drills;

/// <summary>The verdict of an existing-store drill: its checks and the times it could measure without the source.</summary>
public sealed record StoreDrillOutcome(RecoveryTarget Target, string BackupId, IReadOnlyList<CheckResult> Checks, StoreDrillTimings Timings)
{
    public IReadOnlyList<CheckResult> Failures => CheckVerdict.Failures(Checks);
    public bool Passed => Failures.Count == 0;
    public string FailureMessage => CheckVerdict.Message(Checks);
    public FailureCause? Cause => CheckVerdict.Cause(Checks);
}

/// <summary>
/// Times of an existing-store drill, in seconds (hours for the backup's age). RPO and WAL archive lag need the
/// source's clock and are not claimed. timings.json has restoreSeconds (RTO) like every drill.
/// </summary>
public sealed record StoreDrillTimings(double BackupSeconds, double DownloadSeconds, double RestoreSeconds, double NewestBackupAgeHours)
{
    public string ToJson() => JsonSerializer.Serialize(new
    {
        backupSeconds = Math.Round(BackupSeconds, 3), downloadSeconds = Math.Round(DownloadSeconds, 3),
        restoreSeconds = Math.Round(RestoreSeconds, 3), newestBackupAgeHours = Math.Round(NewestBackupAgeHours, 3),
    }, new JsonSerializerOptions { WriteIndented = true });
}
