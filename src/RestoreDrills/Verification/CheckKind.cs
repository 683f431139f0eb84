namespace RestoreDrills.Verification;

/// <summary>
/// What a check proves, and so the category its failure is filed under, whatever the check is called. In order of
/// precedence: when checks of several kinds fail, the verdict names the first (a replay that ended short of the archive
/// explains the rows it lacks; wrong data outranks a slow restore).
/// </summary>
public enum CheckKind
{
    /// <summary>The WAL archive: the source archives, replay reaches the archive's end.</summary>
    Wal,
    /// <summary>The restored data: rows, tables, schema, pages (amcheck).</summary>
    Integrity,
    /// <summary>The restore itself: the restored server came up, was promoted, can be reached.</summary>
    Restore,
    /// <summary>The backups: taken, on schedule, recent enough.</summary>
    Backup,
    /// <summary>A setting that keeps the restore safe or the source durable (archive_mode off on the copy, synchronous_commit).</summary>
    Setting,
    /// <summary>A timing objective (RTO, RPO, backup duration, WAL archive lag).</summary>
    Budget,
}
