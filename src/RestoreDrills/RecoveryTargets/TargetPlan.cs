namespace RestoreDrills.RecoveryTargets;

/// <summary>
/// What a recovery target asks of a drill's preparation, so the runbook reads as one straight line whatever the target.
/// </summary>
/// <param name="MarkersInBackup">The markers are written before the base backup: an immediate restore stops at the backup's end.</param>
/// <param name="AllowsWorkloadBeforeTarget">Writes between the backup and the target can exist (not for immediate: the target is the backup's end).</param>
/// <param name="WaitPastBackupEnd">The target's clock must be past the backup's end (time: CNPG picks the newest backup ended before it).</param>
/// <param name="FixedTarget">The target is a point the drill sets (time, LSN, XID, name, immediate); latest is the archive's moving end.</param>
/// <param name="BackupAfterTarget">A second backup after the target, which the restore must not pick (time, LSN).</param>
public sealed record TargetPlan(bool MarkersInBackup, bool AllowsWorkloadBeforeTarget, bool WaitPastBackupEnd, bool FixedTarget, bool BackupAfterTarget)
{
    public static TargetPlan For(RecoveryTargetKind kind) => kind switch
    {
        RecoveryTargetKind.Immediate => new(MarkersInBackup: true, AllowsWorkloadBeforeTarget: false, WaitPastBackupEnd: false, FixedTarget: true, BackupAfterTarget: false),
        RecoveryTargetKind.Time => new(false, true, WaitPastBackupEnd: true, FixedTarget: true, BackupAfterTarget: true),
        RecoveryTargetKind.Lsn => new(false, true, false, FixedTarget: true, BackupAfterTarget: true),
        RecoveryTargetKind.Latest => new(false, true, false, FixedTarget: false, BackupAfterTarget: false),
        _ => new(false, true, false, FixedTarget: true, BackupAfterTarget: false), // xid, name
    };
}
