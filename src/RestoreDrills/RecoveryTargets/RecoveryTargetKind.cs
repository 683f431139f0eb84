namespace RestoreDrills.RecoveryTargets;

/// <summary>The six recovery targets CloudNative-PG's bootstrap.recovery.recoveryTarget and PostgreSQL offer.</summary>
public enum RecoveryTargetKind
{
    /// <summary>recovery_target_time: a point in time on the server's clock, with an explicit zone.</summary>
    Time,
    /// <summary>recovery_target_lsn: a WAL position.</summary>
    Lsn,
    /// <summary>recovery_target_xid: a transaction id (inclusive: that transaction is restored).</summary>
    Xid,
    /// <summary>recovery_target_name: a restore point made with pg_create_restore_point().</summary>
    Name,
    /// <summary>recovery_target = 'immediate': the end of the base backup (its first consistent point).</summary>
    Immediate,
    /// <summary>No target: replay every archived WAL segment, as far as the archive reaches.</summary>
    Latest,
}
