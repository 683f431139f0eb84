using System.Text.Json;

namespace RestoreDrills.Drills;

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
