using System.Globalization;
using System.Text.Json.Nodes;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// What a Backup CR says of itself (status): phase, error, the evidence of a completed backup, and where it was
/// written (serverName, destinationPath).
/// </summary>
public sealed record BackupStatus(
    string Name, string Phase, string? Error, string? BackupId, string? BeginLsn, string? EndLsn,
    string? BeginWal, string? EndWal, DateTimeOffset? StartedAt, DateTimeOffset? StoppedAt, string? ClusterName,
    string? ServerName = null, string? DestinationPath = null)
{
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string WalArchivingFailing = "walArchivingFailing";
    public const string InvalidDefinition = "invalid backup definition";

    public bool IsCompleted => Phase == Completed;

    /// <summary>The timeline the backup was taken on (from its first WAL segment's name).</summary>
    public int? Timeline => (BeginWal ?? EndWal) is { } wal && Inventory.WalSegmentName.TryParse(wal, out var segment) ? (int)segment.Timeline : null;

    public static BackupStatus From(JsonObject backup)
    {
        var status = backup["status"];
        string? S(string field) => status?[field]?.GetValue<string>();
        DateTimeOffset? T(string field) => S(field) is { } v
            ? DateTimeOffset.Parse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;
        return new BackupStatus(
            backup["metadata"]?["name"]?.GetValue<string>() ?? "", S("phase") ?? "", S("error"), S("backupId"),
            S("beginLSN"), S("endLSN"), S("beginWal"), S("endWal"), T("startedAt"), T("stoppedAt"),
            backup["spec"]?["cluster"]?["name"]?.GetValue<string>(), S("serverName"), S("destinationPath"));
    }

    /// <summary>One line for the report: the backup's id, LSN and WAL range.</summary>
    public string Evidence =>
        $"backup {Name}: phase {Phase}, backupId {BackupId}, LSN {BeginLsn}..{EndLsn}, WAL {BeginWal}..{EndWal}, " +
        $"started {StartedAt:O}, stopped {StoppedAt:O}";
}
