using Dapper;
using Npgsql;

namespace RestoreDrills.Verification;

/// <summary>
/// The source frozen at the recovery target, so the drill can go on writing to it (the post-target changes
/// that must NOT be restored) while the verification still reads it as it was.
///
/// Why a snapshot and not a copy: a REPEATABLE READ transaction opened right at the target exports its
/// snapshot (pg_export_snapshot) and stays open for the rest of the drill; every comparison connection adopts it
/// (SET TRANSACTION SNAPSHOT), so the engine reads the source AS OF the target, in the database, at scan speed,
/// with nothing copied. The cost is one idle transaction on a throwaway source (it holds back vacuum, nothing else).
/// Sequences are not transactional, so their last values are recorded here, at the target.
/// </summary>
public sealed class SourceAtTarget : IAsyncDisposable
{
    private readonly NpgsqlConnection _holder;

    private SourceAtTarget(NpgsqlConnection holder, string snapshotId, IReadOnlyDictionary<string, long?> sequences)
    {
        _holder = holder;
        SnapshotId = snapshotId;
        Sequences = sequences;
    }

    public string SnapshotId { get; }

    /// <summary>Each user sequence's last_value at the target (null: never used), by quoted qualified name.</summary>
    public IReadOnlyDictionary<string, long?> Sequences { get; }

    /// <summary>Call at the target, with no write of the drill in between (the drill is the source's only writer).</summary>
    public static async Task<SourceAtTarget> CaptureAsync(Func<CancellationToken, Task<NpgsqlConnection>> connect, CancellationToken ct)
    {
        var holder = await connect(ct);
        try
        {
            await holder.ExecuteAsync("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
            var snapshotId = await holder.ExecuteScalarAsync<string>("SELECT pg_export_snapshot()")
                ?? throw new InvalidOperationException("pg_export_snapshot() returned nothing");
            var sequences = (await holder.QueryAsync<(string Name, long? LastValue)>(SchemaComparison.SequencesSql))
                .ToDictionary(s => s.Name, s => s.LastValue);
            return new SourceAtTarget(holder, snapshotId, sequences);
        }
        catch
        {
            await holder.DisposeAsync();
            throw;
        }
    }

    public DatabaseSide Side(Func<CancellationToken, Task<NpgsqlConnection>> connect) => new("source at the target", connect, SnapshotId);

    public ValueTask DisposeAsync() => _holder.DisposeAsync();
}
