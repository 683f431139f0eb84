using System.Text.Json;
using System.Text.Json.Serialization;

namespace RestoreDrills.Verification;

/// <summary>
/// A drill's measured times, in seconds (hours for the newest backup's age). A time the drill cannot measure is
/// null and left out of timings.json: an existing store has no source clock (no RPO, no archive lag); a CNPG drill
/// measures its restore as the Cluster created to ready. Every drill has restoreSeconds (its RTO).
/// </summary>
public sealed record DrillTimings(
    double? BackupSeconds,
    double? WalArchiveLagSeconds,
    double? DownloadSeconds,
    double RestoreSeconds,
    double? RpoSeconds,
    double? NewestBackupAgeHours = null)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true,
        NumberHandling = JsonNumberHandling.Strict, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Only the restore's time: what a CNPG drill measures (created to ready).</summary>
    public static DrillTimings RestoreOnly(TimeSpan restore) => new(null, null, null, restore.TotalSeconds, null);

    public string ToJson() => JsonSerializer.Serialize(this with
    {
        BackupSeconds = Round(BackupSeconds), WalArchiveLagSeconds = Round(WalArchiveLagSeconds), DownloadSeconds = Round(DownloadSeconds),
        RestoreSeconds = Math.Round(RestoreSeconds, 3), RpoSeconds = Round(RpoSeconds), NewestBackupAgeHours = Round(NewestBackupAgeHours),
    }, Json);

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;

    /// <summary>
    /// RPO: how much committed work before the target the restore lacks (never negative). No replayed commit
    /// means the restore stopped at the base backup's end: exact for an immediate target (RPO 0); for any other
    /// target the markers written after the backup are then missing, and the marker check fails the drill.
    /// </summary>
    public static double Rpo(DateTimeOffset targetClock, DateTimeOffset? lastReplayedCommit) =>
        lastReplayedCommit is { } last ? Math.Max(0, (targetClock - last).TotalSeconds) : 0;
}
