namespace RestoreDrills.Platforms.Containers;

/// <summary>What the restored server says once promoted: its last replayed commit and its (new) timeline.</summary>
public sealed record RecoveryResult(DateTimeOffset? LastReplayedCommit, int Timeline);
