namespace RestoreDrills.Seeding;

/// <summary>One row of the runbook's backup_test table.</summary>
public sealed record BackupTestRow(int Id, string? Name, DateTime? CreatedAt)
{
    public override string ToString() => $"id={Id} name={Name ?? "NULL"} created_at={CreatedAt:yyyy-MM-dd HH:mm:ss.ffffff}";
}
