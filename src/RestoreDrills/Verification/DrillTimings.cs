using System.Text.Json;
using System.Text.Json.Serialization;

namespace RestoreDrills.Verification;

/// <summary>
/// The drill's measured times, in seconds. Written as timings.json (backupSeconds, restoreSeconds, rpoSeconds,
/// ...) so tools can read them from the report.
/// </summary>
public sealed record DrillTimings(
    double BackupSeconds,
    double WalArchiveLagSeconds,
    double DownloadSeconds,
    double RestoreSeconds,
    double RpoSeconds)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public string ToJson() => JsonSerializer.Serialize(this with
    {
        BackupSeconds = Math.Round(BackupSeconds, 3), WalArchiveLagSeconds = Math.Round(WalArchiveLagSeconds, 3),
        DownloadSeconds = Math.Round(DownloadSeconds, 3), RestoreSeconds = Math.Round(RestoreSeconds, 3), RpoSeconds = Math.Round(RpoSeconds, 3),
    }, Json);

    /// <summary>
    /// RPO: how much committed work before the target the restore lacks (never negative). No replayed commit
    /// means the restore stopped at the base backup's end: exact for an immediate target (RPO 0); for any other
    /// target the markers written after the backup are then missing, and the marker check fails the drill.
    /// </summary>
    public static double Rpo(DateTimeOffset targetClock, DateTimeOffset? lastReplayedCommit) =>
        lastReplayedCommit is { } last ? Math.Max(0, (targetClock - last).TotalSeconds) : 0;
}
