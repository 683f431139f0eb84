using System.Globalization;

namespace RestoreDrills.RecoveryTargets;

/// <summary>
/// Where a restore must stop. <see cref="Value"/> is the PostgreSQL value (a timestamp with zone, an LSN, an
/// xid, a restore point name), empty for immediate and latest. <see cref="BackupId"/> is the base backup to
/// restore from when the target needs an explicit one (CNPG requires backupID for xid, name and immediate).
/// </summary>
public sealed record RecoveryTarget(RecoveryTargetKind Kind, string Value, string? BackupId = null)
{
    public static RecoveryTarget Time(DateTimeOffset at) =>
        new(RecoveryTargetKind.Time, at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00");
    public static RecoveryTarget Lsn(string lsn) => new(RecoveryTargetKind.Lsn, lsn);
    public static RecoveryTarget Xid(long xid, string backupId) => new(RecoveryTargetKind.Xid, xid.ToString(CultureInfo.InvariantCulture), backupId);
    public static RecoveryTarget Name(string restorePoint, string backupId) => new(RecoveryTargetKind.Name, restorePoint, backupId);
    public static RecoveryTarget Immediate(string backupId) => new(RecoveryTargetKind.Immediate, "", backupId);
    public static RecoveryTarget Latest() => new(RecoveryTargetKind.Latest, "");

    /// <summary>"kind" or "kind=value": the form used in reports (the Allure parameter recoveryTarget).</summary>
    public override string ToString() => Value.Length == 0 ? Kind.Id() : $"{Kind.Id()}={Value}";

    /// <summary>
    /// The recovery settings for postgresql.auto.conf. archive_mode=off: a restored server must never write
    /// into the source's archive. promote: the drill proves the restore ends as a writable primary.
    /// </summary>
    public IReadOnlyList<string> RecoverySettings(string restoreCommand)
    {
        var lines = new List<string>
        {
            $"restore_command = {Quote(restoreCommand)}",
            "recovery_target_timeline = 'latest'",
            "recovery_target_action = 'promote'",
            "archive_mode = off",
        };
        switch (Kind)
        {
            case RecoveryTargetKind.Time: lines.Add($"recovery_target_time = {Quote(Value)}"); break;
            case RecoveryTargetKind.Lsn: lines.Add($"recovery_target_lsn = {Quote(Value)}"); break;
            case RecoveryTargetKind.Xid: lines.Add($"recovery_target_xid = {Quote(Value)}"); break;
            case RecoveryTargetKind.Name: lines.Add($"recovery_target_name = {Quote(Value)}"); break;
            case RecoveryTargetKind.Immediate: lines.Add("recovery_target = 'immediate'"); break;
            case RecoveryTargetKind.Latest: break;
        }
        if (Kind is not (RecoveryTargetKind.Immediate or RecoveryTargetKind.Latest))
            lines.Add("recovery_target_inclusive = true");
        return lines;
    }

    private static string Quote(string value) => "'" + value.Replace("'", "''") + "'";
}
