namespace RestoreDrills.Configuration;

/// <summary>At least one row of <paramref name="Table"/> satisfies <paramref name="Condition"/> (SQL, run read-only on the restored copy).</summary>
public sealed record RowPredicate(string Table, string Condition)
{
    public override string ToString() => $"{Table}: {Condition}";
}
