using RestoreDrills.Platforms.Containers;

namespace RestoreDrills.Drills;

/// <summary>What the restore produced: the chosen backup, the promoted server's answers and the times.</summary>
public sealed record DrillRestore(string BackupId, RecoveryResult Recovery, TimeSpan Download, TimeSpan Restore, string RecoveryLog);
