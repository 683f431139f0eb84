using RestoreDrills.Failures;

namespace RestoreDrills.Verification;

/// <summary>The failure category each kind of check files its failures under.</summary>
public static class CheckKinds
{
    public static FailureCause Cause(this CheckKind kind) => kind switch
    {
        CheckKind.Integrity => FailureCause.IntegrityViolation,
        CheckKind.Restore => FailureCause.RestoreFailed,
        CheckKind.Wal => FailureCause.WalArchivingFailed,
        CheckKind.Backup => FailureCause.BackupFailed,
        CheckKind.Setting => FailureCause.UnsafeSetting,
        CheckKind.Budget => FailureCause.BudgetExceeded,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
