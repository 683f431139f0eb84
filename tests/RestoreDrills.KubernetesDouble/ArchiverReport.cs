using Npgsql;

namespace RestoreDrills.KubernetesDouble;

/// <summary>
/// CNPG's instance manager reports pg_stat_archiver into its Cluster's status (lastArchivedWAL, lastArchivedWALTime):
/// the double does the same for each source it runs, every <see cref="Every"/>, until the Cluster is gone, the server
/// stops answering or the double stops. Bounded: <see cref="MaxRounds"/> rounds at most.
/// </summary>
public static class ArchiverReport
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
    public const int MaxRounds = 4 * 60 * 60; // four hours

    /// <param name="report">Takes each reading; false when the Cluster is gone.</param>
    public static async Task RunAsync(PostgresEndpoint server, Func<string?, DateTimeOffset?, bool> report, CancellationToken ct)
    {
        try
        {
            await using var db = new NpgsqlConnection(server.ConnectionString("postgres"));
            await db.OpenAsync(ct);
            for (var round = 0; round < MaxRounds; round++)
            {
                await using (var archiver = new NpgsqlCommand("SELECT last_archived_wal, last_archived_time FROM pg_stat_archiver", db))
                await using (var row = await archiver.ExecuteReaderAsync(ct))
                    if (await row.ReadAsync(ct) && !report(row.IsDBNull(0) ? null : row.GetString(0), row.IsDBNull(1) ? null : row.GetFieldValue<DateTimeOffset>(1)))
                        return;
                await Task.Delay(Every, ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or NpgsqlException or System.IO.IOException)
        {
            // the double stops, or the Cluster was deleted and its server with it: nothing left to report
        }
    }
}
