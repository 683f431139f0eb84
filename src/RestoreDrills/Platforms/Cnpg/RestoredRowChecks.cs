using Npgsql;
using RestoreDrills.Failures;
using RestoreDrills.Seeding;
using RestoreDrills.Verification;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// The containers drills' row checks, run on a restored CNPG cluster through its app connection: the canonical
/// rows, every marker written before the target, no change after it, every row equal to the source at the target.
/// Needs to know what the source held at the target, so it runs where the drill wrote that workload itself.
/// </summary>
public static class RestoredRowChecks
{
    /// <param name="markers">Rows written before the target, when the drill wrote any.</param>
    /// <param name="changes">Changes made after the target, when the drill made any (not for latest: see ThrowawaySourceDrill).</param>
    public static RestoredVerification For(TableSnapshot expected, PreTargetMarkers? markers, PostTargetChanges? changes) =>
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
            List<CheckResult> checks = [RestoreChecks.CanonicalRowsPresent(actual)];
            if (markers is not null) checks.Add(RestoreChecks.MarkersBeforeTargetPresent(expected, actual, markers));
            if (changes is not null)
                checks.AddRange(
                [
                    RestoreChecks.InsertsAfterTargetAbsent(actual, changes),
                    RestoreChecks.UpdatesAfterTargetAbsent(expected, actual, changes),
                    RestoreChecks.DeletesAfterTargetAbsent(expected, actual, changes),
                ]);
            checks.Add(RestoreChecks.AllRowsEqualSourceAtTarget(RowDifference.Between(expected, actual), expected.Rows.Count));
            return checks;
        };
}
