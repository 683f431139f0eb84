using System.Globalization;
using RestoreDrills.Backups;

namespace RestoreDrills.Inventory;

/// <summary>
/// A base backup as its backup.info describes it (barman's key=value file next to data.tar.gz): what the
/// inventory knows about a backup before anything is restored.
/// </summary>
public sealed record BackupInfo(BaseBackup Backup, int ServerVersionNumber, long SegmentSize, string? Error)
{
    /// <summary>The PostgreSQL major version that wrote the backup (150018 → 15): the restore needs the same.</summary>
    public int PostgresMajor => ServerVersionNumber / 10000;

    public static BackupInfo Parse(string backupId, string text)
    {
        var values = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim());

        string Required(string key) =>
            values.TryGetValue(key, out var v) && v != "None" ? v : throw new FormatException($"backup.info of {backupId} has no {key}");
        string? Optional(string key) => values.TryGetValue(key, out var v) && v != "None" ? v : null;

        var status = Required("status");
        // A backup that never finished has no end: it is listed, but never restorable.
        var done = status == "DONE";
        var backup = new BaseBackup(
            backupId,
            status,
            Time(Required("begin_time")),
            done ? Time(Required("end_time")) : DateTimeOffset.MinValue,
            Required("begin_wal"),
            done ? Required("end_wal") : "",
            done ? Required("end_xlog") : "",
            int.Parse(Required("timeline"), CultureInfo.InvariantCulture));
        return new BackupInfo(
            backup,
            int.Parse(Required("version"), CultureInfo.InvariantCulture),
            Optional("xlog_segment_size") is { } size ? long.Parse(size, CultureInfo.InvariantCulture) : WalSegmentName.DefaultSegmentSize,
            Optional("error")?.Trim('\'', '"'));
    }

    private static DateTimeOffset Time(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
