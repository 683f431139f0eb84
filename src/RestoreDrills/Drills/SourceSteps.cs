using Npgsql;
using RestoreDrills.Backups;
using RestoreDrills.Reporting;
using RestoreDrills.Seeding;

namespace RestoreDrills.Drills;

/// <summary>
/// The writes around the target as report steps, the same on every platform a drill's source runs on (a container,
/// a CNPG cluster through a port-forward): markers before the target, changes after it, and the wait that puts a time
/// target a full second past the backup's end.
/// </summary>
public static class SourceSteps
{
    public static Task<PreTargetMarkers> WriteMarkersAsync(DrillJournal journal, NpgsqlConnection db, string drillId) =>
        journal.StepAsync("Write marker rows before the target", async () =>
        {
            var markers = await SourceWorkload.WriteMarkersAsync(db, drillId);
            journal.Progress($"markers ids {string.Join(", ", markers.Ids)} in transaction {markers.TransactionId}");
            return markers;
        });

    public static Task<PostTargetChanges> ChangeDataAfterTargetAsync(DrillJournal journal, NpgsqlConnection db, string drillId, TableSnapshot expected) =>
        journal.StepAsync("Change data after the target: insert, update and delete rows (each must be absent from the restore)", async () =>
        {
            var changes = await SourceWorkload.ApplyChangesAfterTargetAsync(db, drillId, expected);
            journal.Progress($"after target: inserted {string.Join(",", changes.InsertedIds)}; updated {string.Join(",", changes.UpdatedIds)}; deleted {string.Join(",", changes.DeletedIds)}");
            return changes;
        });

    /// <summary>Backup end times are listed to the second (barman, CNPG's stoppedAt): a time target must lie a full second after the end.</summary>
    public static async Task WaitPastBackupEndAsync(NpgsqlConnection db, DateTimeOffset backupEnd, CancellationToken ct)
    {
        var earliest = backupEnd + BackupSelector.EndTimeResolution + Configuration.SettingsTable.TargetClockMargin.DefaultDuration;
        var now = await SourceWorkload.ServerClockAsync(db);
        if (now < earliest) await Task.Delay(earliest - now, ct);
    }
}
