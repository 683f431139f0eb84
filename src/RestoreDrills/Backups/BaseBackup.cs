using System.Globalization;
using System.Text.Json;

namespace RestoreDrills.Backups;

/// <summary>One base backup as barman-cloud-backup-list --format json describes it.</summary>
public sealed record BaseBackup(
    string BackupId,
    string Status,
    DateTimeOffset BeginTime,
    DateTimeOffset EndTime,
    string BeginWal,
    string EndWal,
    string EndLsn,
    int Timeline)
{
    /// <summary>Parses the listing. barman writes times in ctime form, without a zone, in the instance's zone (UTC).</summary>
    public static IReadOnlyList<BaseBackup> ParseListing(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("backups_list").EnumerateArray().Select(b => new BaseBackup(
            b.GetProperty("backup_id").GetString()!,
            b.GetProperty("status").GetString()!,
            ParseCtime(b.GetProperty("begin_time").GetString()!),
            ParseCtime(b.GetProperty("end_time").GetString()!),
            b.GetProperty("begin_wal").GetString()!,
            b.GetProperty("end_wal").GetString()!,
            b.GetProperty("end_xlog").GetString()!,
            b.GetProperty("timeline").GetInt32())).ToList();
    }

    private static DateTimeOffset ParseCtime(string value) =>
        DateTimeOffset.ParseExact(string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries)),
            "ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
