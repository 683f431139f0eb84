using System.Globalization;
using RestoreDrills.Failures;

namespace RestoreDrills.Configuration;

/// <summary>Which base backup to restore: the newest restorable one, one by id, or the newest ended before a time.</summary>
public sealed record BackupChoice(string? BackupId, DateTimeOffset? Before)
{
    public static BackupChoice Parse(string value)
    {
        if (value == "latest") return new BackupChoice(null, null);
        if (value.StartsWith("before:", StringComparison.Ordinal))
            return DateTimeOffset.TryParse(value[7..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var before)
                ? new BackupChoice(null, before)
                : throw new InvalidSettingException($"RESTOREDRILLS_STORE_BACKUP='{value}': the time after before: is not a timestamp (e.g. before:2026-11-25T01:30:00Z)");
        return value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? new BackupChoice(value, null)
            : throw new InvalidSettingException($"RESTOREDRILLS_STORE_BACKUP='{value}' is not latest, a backup id (e.g. 20261125T010002) or before:<time>");
    }

    public override string ToString() => BackupId ?? (Before is { } b ? $"newest ended before {b:O}" : "newest restorable");
}
