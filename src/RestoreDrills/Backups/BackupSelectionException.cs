namespace RestoreDrills.Backups;

/// <summary>No base backup can serve the target (before the first recoverability point, or none completed).</summary>
public sealed class BackupSelectionException(string message) : Exception(message);
