namespace RestoreDrills.Seeding;

/// <summary>The marker rows written before the target, and the transaction that wrote them (each must be restored).</summary>
public sealed record PreTargetMarkers(IReadOnlyList<int> Ids, long TransactionId);
