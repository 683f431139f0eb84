namespace RestoreDrills.Tests.RecoveryTargets;

/// <summary>What each recovery target asks of a drill's preparation: the runbook's differences, in one table.</summary>
public sealed class TargetPlanTests
{
    [Test]
    public void An_immediate_target_is_the_backups_end_its_markers_are_in_the_backup_and_nothing_comes_between()
    {
        var plan = TargetPlan.For(RecoveryTargetKind.Immediate);
        Assert.That((plan.MarkersInBackup, plan.AllowsWorkloadBeforeTarget, plan.WaitPastBackupEnd, plan.FixedTarget, plan.BackupAfterTarget),
            Is.EqualTo((true, false, false, true, false)));
    }

    [TestCase(RecoveryTargetKind.Time, true, true)]
    [TestCase(RecoveryTargetKind.Lsn, false, true)]
    [TestCase(RecoveryTargetKind.Xid, false, false)]
    [TestCase(RecoveryTargetKind.Name, false, false)]
    public void A_fixed_target_after_the_backup_is_set_once_the_markers_are_written(RecoveryTargetKind kind, bool waitsPastBackupEnd, bool backupAfterTarget)
    {
        var plan = TargetPlan.For(kind);
        Assert.That((plan.MarkersInBackup, plan.AllowsWorkloadBeforeTarget, plan.FixedTarget), Is.EqualTo((false, true, true)));
        Assert.That(plan.WaitPastBackupEnd, Is.EqualTo(waitsPastBackupEnd), "a time target must lie after the backup's end for CNPG to pick that backup");
        Assert.That(plan.BackupAfterTarget, Is.EqualTo(backupAfterTarget), "time and LSN prove the restore does not pick a backup taken after the target");
    }

    [Test]
    public void Latest_is_the_archives_moving_end_with_no_state_to_record()
    {
        var plan = TargetPlan.For(RecoveryTargetKind.Latest);
        Assert.That((plan.MarkersInBackup, plan.AllowsWorkloadBeforeTarget, plan.WaitPastBackupEnd, plan.FixedTarget, plan.BackupAfterTarget),
            Is.EqualTo((false, true, false, false, false)));
    }
}
