using Npgsql;
using RestoreDrills.Backups;
using RestoreDrills.Drills;
using RestoreDrills.ObjectStore;
using RestoreDrills.RecoveryTargets;

namespace RestoreDrills.Platforms.Containers;

/// <summary>What the restored server says once promoted: its last replayed commit and its (new) timeline.</summary>
public sealed record RecoveryResult(DateTimeOffset? LastReplayedCommit, int Timeline);
