using System.Globalization;
using Dapper;
using Npgsql;
using RestoreDrills.Drills;
using RestoreDrills.Seeding;
using RestoreDrills.Verification;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// The containers drills' row checks, run on a restored CNPG cluster through its app connection: the canonical
/// rows, no change after the target, every row equal to the source at the target, promoted onto a new timeline.
/// Needs to know what the source held at the target, so it runs where the drill wrote that workload itself.
/// </summary>
public static class RestoredRowChecks
{
    public static RestoredVerification For(TableSnapshot expected, PostTargetChanges changes, int sourceTimeline) =>
        async (connection, ct) =>
        {
            var builder = new NpgsqlConnectionStringBuilder(connection.ConnectionString) { Pooling = false, Timeout = 10 };
            await using var db = new NpgsqlConnection(builder.ConnectionString);
            await db.OpenAsync(ct);
            TableSnapshot actual;
            try
            {
                actual = await TableSnapshot.ReadAsync(db);
            }
            catch (PostgresException e)
            {
                throw new DrillFailure(FailureCause.IntegrityViolation, $"backup_test cannot be read on the restored cluster: {e.SqlState} {e.MessageText}");
            }
            // The timeline of the WAL being written now: a promoted server writes on a new one.
            var walFile = await db.ExecuteScalarAsync<string>("SELECT pg_walfile_name(pg_current_wal_lsn())") ?? "";
            var timeline = int.Parse(walFile[..8], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return
            [
                RestoreChecks.CanonicalRowsPresent(actual),
                RestoreChecks.InsertsAfterTargetAbsent(actual, changes),
                RestoreChecks.UpdatesAfterTargetAbsent(expected, actual, changes),
                RestoreChecks.DeletesAfterTargetAbsent(expected, actual, changes),
                RestoreChecks.AllRowsEqualSourceAtTarget(RowDifference.Between(expected, actual), expected.Rows.Count),
                RestoreChecks.TimelineAdvanced(sourceTimeline, timeline),
            ];
        };
}
