using RestoreDrills.Platforms.Containers;

namespace RestoreDrills.Drills;

/// <summary>
/// What the restore produced: the chosen backup, the promoted server's answers, the times, and what
/// restore_command did (null when a barman-cloud sidecar fetched the WAL).
/// </summary>
public sealed record DrillRestore(string BackupId, RecoveryResult Recovery, TimeSpan Download, TimeSpan Restore, string RecoveryLog, WalRestoreLog? WalRestore = null);
