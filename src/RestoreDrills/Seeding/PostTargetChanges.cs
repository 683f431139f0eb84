namespace RestoreDrills.Seeding;

/// <summary>The rows changed on the source after the target (each change must be absent from the restore).</summary>
public sealed record PostTargetChanges(IReadOnlyList<int> InsertedIds, IReadOnlyList<int> UpdatedIds, IReadOnlyList<int> DeletedIds);
