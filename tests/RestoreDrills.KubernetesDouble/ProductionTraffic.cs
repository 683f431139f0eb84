using Npgsql;

namespace RestoreDrills.KubernetesDouble;

/// <summary>
/// A production source's steady traffic, so that it keeps archiving as a live cluster does: a commit into a table of
/// its own (never backup_test) every <see cref="CommitEvery"/>, a WAL switch every <see cref="SwitchEvery"/> (what
/// archive_timeout does on a busy cluster, shortened); the archiver's progress goes into the source Cluster's status
/// through <see cref="ArchiverReport"/>, as for every source the double runs. Bounded: it stops after
/// <see cref="MaxRounds"/> rounds or when cancelled.
/// </summary>
public sealed class ProductionTraffic(string connectionString)
{
    public static readonly TimeSpan CommitEvery = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan SwitchEvery = TimeSpan.FromSeconds(10);
    public const int MaxRounds = 4 * 60 * 60 * 2; // four hours of commits

    public async Task RunAsync(CancellationToken ct)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync(ct);
        await ExecuteAsync(db, "CREATE TABLE IF NOT EXISTS production_traffic (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())", ct);
        var sinceSwitch = System.Diagnostics.Stopwatch.StartNew();
        for (var round = 0; round < MaxRounds && !ct.IsCancellationRequested; round++)
        {
            await ExecuteAsync(db, "INSERT INTO production_traffic DEFAULT VALUES", ct);
            if (sinceSwitch.Elapsed >= SwitchEvery)
            {
                await ExecuteAsync(db, "SELECT pg_switch_wal()", ct);
                sinceSwitch.Restart();
            }
            await Task.Delay(CommitEvery, ct);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection db, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, db);
        await command.ExecuteNonQueryAsync(ct);
    }
}
