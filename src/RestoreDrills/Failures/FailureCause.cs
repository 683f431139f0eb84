namespace RestoreDrills.Failures;

/// <summary>Why a drill failed, in the words an auditor sorts failures by (Allure categories follow these).</summary>
public enum FailureCause
{
    BackupFailed,
    WalArchivingFailed,
    RestoreFailed,
    TargetNotReached,
    IntegrityViolation,
    /// <summary>A setting that keeps the restore safe or the source durable is wrong (e.g. the restored copy archives).</summary>
    UnsafeSetting,
    BudgetExceeded,
}
