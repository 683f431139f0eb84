using Dapper;
using Npgsql;
using RestoreDrills.Seeding;

namespace RestoreDrills.Drills;

/// <summary>
/// The writes a drill makes on its source around the recovery target: marker rows before it, then after it
/// rows inserted, existing rows updated and existing rows deleted (each its own commit). A correct restore
/// has every marker and none of the later changes.
/// </summary>
public static class SourceWorkload
{
    public const int ChangesPerKind = 3;

    /// <summary>Inserts the marker rows in one transaction; returns their ids and that transaction's id.</summary>
    public static async Task<PreTargetMarkers> WriteMarkersAsync(NpgsqlConnection db, string drillId)
    {
        await using var tx = await db.BeginTransactionAsync();
        var xid = await db.ExecuteScalarAsync<long>("SELECT pg_current_xact_id()::text::bigint", transaction: tx);
        var ids = new List<int>();
        for (var i = 1; i <= ChangesPerKind; i++)
            ids.Add(await db.ExecuteScalarAsync<int>("INSERT INTO backup_test (name) VALUES (@name) RETURNING id",
                new { name = $"drill:{drillId}:before-target:{i}" }, tx));
        await tx.CommitAsync();
        return new PreTargetMarkers(ids, xid);
    }

    /// <summary>
    /// Changes that must NOT be restored: inserts, updates and deletes of generated rows (never canonical rows
    /// or markers), chosen from the expected snapshot so they are known to exist at the target.
    /// </summary>
    public static async Task<PostTargetChanges> ApplyChangesAfterTargetAsync(NpgsqlConnection db, string drillId, TableSnapshot atTarget)
    {
        var generated = atTarget.Rows.Values
            .Where(r => r.Name is { } n && !BackupTestSeed.CanonicalNames.Contains(n) && !n.StartsWith("drill:", StringComparison.Ordinal))
            .OrderBy(r => r.Id).ToList();
        if (generated.Count < 2 * ChangesPerKind)
            throw new InvalidOperationException($"backup_test has {generated.Count} generated rows; the drill needs at least {2 * ChangesPerKind}");
        var toUpdate = generated.Take(ChangesPerKind).Select(r => r.Id).ToList();
        var toDelete = generated.TakeLast(ChangesPerKind).Select(r => r.Id).ToList();

        var inserted = new List<int>();
        for (var i = 1; i <= ChangesPerKind; i++)
            inserted.Add(await db.ExecuteScalarAsync<int>("INSERT INTO backup_test (name) VALUES (@name) RETURNING id",
                new { name = $"drill:{drillId}:after-target:{i}" }));
        await db.ExecuteAsync("UPDATE backup_test SET name = name || ' (changed after target)', created_at = created_at + interval '1 day' WHERE id = ANY(@ids)",
            new { ids = toUpdate });
        await db.ExecuteAsync("DELETE FROM backup_test WHERE id = ANY(@ids)", new { ids = toDelete });
        return new PostTargetChanges(inserted, toUpdate, toDelete);
    }

    /// <summary>
    /// A fixed target set on the source right now: its clock (time), its WAL insert position (LSN), the markers'
    /// transaction (XID), a restore point named <paramref name="restorePoint"/> (name), or the backup itself (immediate).
    /// </summary>
    public static async Task<RecoveryTargets.RecoveryTarget> SetFixedTargetAsync(NpgsqlConnection db, RecoveryTargets.RecoveryTargetKind kind,
        PreTargetMarkers markers, string backupId, string restorePoint) => kind switch
    {
        RecoveryTargets.RecoveryTargetKind.Time => RecoveryTargets.RecoveryTarget.Time(await ServerClockAsync(db)),
        RecoveryTargets.RecoveryTargetKind.Lsn => RecoveryTargets.RecoveryTarget.Lsn(await db.ExecuteScalarAsync<string>("SELECT pg_current_wal_insert_lsn()::text") ?? ""),
        RecoveryTargets.RecoveryTargetKind.Xid => RecoveryTargets.RecoveryTarget.Xid(markers.TransactionId, backupId),
        RecoveryTargets.RecoveryTargetKind.Name => RecoveryTargets.RecoveryTarget.Name(
            await db.ExecuteScalarAsync<string>("SELECT @n FROM pg_create_restore_point(@n)", new { n = restorePoint }) ?? "", backupId),
        RecoveryTargets.RecoveryTargetKind.Immediate => RecoveryTargets.RecoveryTarget.Immediate(backupId),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "latest is no fixed target: the end of the archive moves"),
    };

    /// <summary>The server's clock now, the reference for RPO and for time targets.</summary>
    public static async Task<DateTimeOffset> ServerClockAsync(NpgsqlConnection db) =>
        new(DateTime.SpecifyKind(await db.ExecuteScalarAsync<DateTime>("SELECT clock_timestamp()"), DateTimeKind.Utc)); // timestamptz arrives as UTC
}
