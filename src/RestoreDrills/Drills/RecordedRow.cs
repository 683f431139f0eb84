
namespace RestoreDrills.Drills;

/// <summary>A row of backup_test the record names (a marker): its id and name.</summary>
public sealed record RecordedRow(int Id, string? Name);
