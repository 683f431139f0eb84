using RestoreDrills.Failures;

namespace RestoreDrills.Inventory;

/// <summary>
/// Something the inventory found that would fail a restore (Blocks), or that an auditor should know (a warning).
/// The cause is the category the drill fails with, so a broken store fails before any time is spent restoring it.
/// </summary>
public sealed record InventoryFinding(FailureCause Cause, string Message, bool Blocks)
{
    public override string ToString() => $"{(Blocks ? "BLOCKS" : "warning")}: {Message}";
}
