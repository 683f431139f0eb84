namespace RestoreDrills.Inventory;

/// <summary>
/// A base backup with what the store holds for it: its data archives, the WAL it needs to become consistent,
/// and how far the archive reaches from it without a gap.
/// </summary>
public sealed record InventoryBackup(
    BackupInfo Info,
    IReadOnlyList<StoreObject> DataArchives,
    IReadOnlyList<WalSegmentName> MissingToConsistency,
    WalSegmentName? Reach,
    DateTimeOffset? ReachArchivedAt,
    WalSegmentName? FirstGap,
    int SegmentsBeyondGap)
{
    public string Id => Info.Backup.BackupId;

    /// <summary>Completed, with its data archive and every WAL segment from its begin to its end.</summary>
    public bool Restorable => Info.Backup.Status == "DONE" && HasDataArchive && MissingToConsistency.Count == 0;

    /// <summary>barman-cloud-restore needs data.tar (any compression); tablespaces come as &lt;oid&gt;.tar beside it.</summary>
    public bool HasDataArchive => DataArchives.Any(a => Path.GetFileName(a.Name).StartsWith("data.tar", StringComparison.Ordinal));
}
