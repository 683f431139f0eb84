using RestoreDrills.Verification;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// Checks run on the restored cluster while it exists, through its application connection (the same row checks
/// as the containers drills, when the drill knows what the source held at the target).
/// </summary>
public delegate Task<IReadOnlyList<CheckResult>> RestoredVerification(CnpgConnection connection, CancellationToken ct);
