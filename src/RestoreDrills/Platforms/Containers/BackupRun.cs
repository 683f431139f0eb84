using RestoreDrills.Backups;

namespace RestoreDrills.Platforms.Containers;

/// <summary>A base backup just taken: what the store lists for it, how long it took, and the listing as evidence.</summary>
public sealed record BackupRun(BaseBackup Backup, TimeSpan Duration, string Listing);
