using Npgsql;
using RestoreDrills.Drills;
using RestoreDrills.Seeding;
using RestoreDrills.Verification;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// The containers drills' row checks, run on a restored CNPG cluster through its app connection: the canonical
/// rows, no change after the target, every row equal to the source at the target.
/// Needs to know what the source held at the target, so it runs where the drill wrote that workload itself.
/// </summary>
public static class RestoredRowChecks
{
    public static RestoredVerification For(TableSnapshot expected, PostTargetChanges changes) =>
        async (restored, ct) =>
        {
            await using var db = await restored.OpenAsync(restored.Data, ct);
            TableSnapshot actual;
            try
            {
                actual = await TableSnapshot.ReadAsync(db);
            }
            catch (PostgresException e)
            {
                throw new DrillFailure(FailureCause.IntegrityViolation, $"backup_test cannot be read on the restored cluster: {e.SqlState} {e.MessageText}");
            }
            return
            [
                RestoreChecks.CanonicalRowsPresent(actual),
                RestoreChecks.InsertsAfterTargetAbsent(actual, changes),
                RestoreChecks.UpdatesAfterTargetAbsent(expected, actual, changes),
                RestoreChecks.DeletesAfterTargetAbsent(expected, actual, changes),
                RestoreChecks.AllRowsEqualSourceAtTarget(RowDifference.Between(expected, actual), expected.Rows.Count),
            ];
        };
}
