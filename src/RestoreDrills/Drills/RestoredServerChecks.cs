using Dapper;
using Npgsql;
using RestoreDrills.Configuration;
using RestoreDrills.RecoveryTargets;
using RestoreDrills.Seeding;
using RestoreDrills.Verification;

namespace RestoreDrills.Drills;

/// <summary>
/// What a restored server proves without its source, the same for every drill of backups someone else wrote (an
/// existing store, a production CNPG cluster): every relation read back (amcheck), the expectations, the drill record
/// when one applies, a new timeline, and archiving off as the server itself reports it.
/// </summary>
public sealed record RestoredServerChecks(StoreExpectations Expectations, DrillRecord? Record, RecoveryTarget Target, int BackupTimeline)
{
    /// <param name="openPrivileged">A connection allowed to read every relation (amcheck needs a superuser).</param>
    /// <param name="openData">The connection the data's users have (the app user on CNPG).</param>
    /// <param name="attach">Where findings go as evidence (name, text).</param>
    public async Task<IReadOnlyList<CheckResult>> RunAsync(
        Func<CancellationToken, Task<NpgsqlConnection>> openPrivileged, Func<CancellationToken, Task<NpgsqlConnection>> openData,
        Action<string, string> attach, CancellationToken ct)
    {
        // First the physical read: a page that fails its checksum is named here, by relation and block.
        var physical = await PhysicalChecks.RunAsync(openPrivileged, ct);
        if (physical.Findings.Count > 0) attach("physical findings (amcheck)", string.Join('\n', physical.Findings));
        await using var db = await openData(ct);
        return
        [
            physical.ToCheck(),
            .. await DataChecksAsync(db, ct),
            RestoreChecks.TimelineAdvanced(BackupTimeline, await TimelineAsync(db)),
            RestoreChecks.ArchivingOff(await db.ExecuteScalarAsync<string>("SHOW archive_mode") ?? ""),
        ];
    }

    /// <summary>The timeline the server writes WAL on now: a promoted server writes on a new one.</summary>
    public static async Task<int> TimelineAsync(NpgsqlConnection db) =>
        (int)Inventory.WalSegmentName.Parse(await db.ExecuteScalarAsync<string>("SELECT pg_walfile_name(pg_current_wal_lsn())") ?? "").Timeline;

    /// <summary>The expectations and, where a record applies, the recorded rows; a table that cannot be read fails them.</summary>
    private async Task<IReadOnlyList<CheckResult>> DataChecksAsync(NpgsqlConnection db, CancellationToken ct)
    {
        try
        {
            return
            [
                .. await StoreExpectationChecks.EvaluateAsync(db, Expectations, ct),
                // The markers precede the recorded target: only a restore to it, or to the archive's end, must have them.
                .. Record is not null && (Target == Record.Target || Target.Kind == RecoveryTargetKind.Latest)
                    ? await RecordChecksAsync(db, Record, Target) : [],
            ];
        }
        catch (PostgresException e) when (e.SqlState.StartsWith("XX", StringComparison.Ordinal) || e.SqlState.StartsWith("58", StringComparison.Ordinal))
        {
            // Data corruption (XX001) or a relation file missing (58P01): the expectations cannot even be asked.
            return [CheckResult.Fail(CheckKind.Integrity, "the expected data can be read on the restored server", $"{e.SqlState} {e.MessageText}")];
        }
    }

    /// <summary>
    /// Checks against what a RestoreDrills source drill recorded: its markers precede the target, so every restore
    /// to that target or later has them; the whole table equals the recorded fingerprint only at that very target.
    /// </summary>
    private static async Task<IReadOnlyList<CheckResult>> RecordChecksAsync(NpgsqlConnection db, DrillRecord record, RecoveryTarget target)
    {
        var restored = await TableSnapshot.ReadAsync(db);
        var missing = record.Markers.Where(m => !restored.Rows.TryGetValue(m.Id, out var row) || row.Name != m.Name).ToList();
        var checks = new List<CheckResult>
        {
            missing.Count == 0
                ? CheckResult.Pass(CheckKind.Integrity, "the recorded marker rows are restored", string.Join(", ", record.Markers.Select(m => $"id={m.Id}")))
                : CheckResult.Fail(CheckKind.Integrity, "the recorded marker rows are restored", $"marker row(s) missing or changed: {string.Join(", ", missing.Select(m => $"id={m.Id} {m.Name}"))}"),
        };
        if (target == record.Target)
        {
            var fingerprint = DrillRecord.FingerprintOf(restored);
            checks.Add(fingerprint == record.Fingerprint && restored.Rows.Count == record.Rows
                ? CheckResult.Pass(CheckKind.Integrity, "backup_test equals the recorded state at the target", $"{record.Rows} rows, fingerprint {fingerprint[..16]}…")
                : CheckResult.Fail(CheckKind.Integrity, "backup_test equals the recorded state at the target",
                    $"backup_test has {restored.Rows.Count} rows (fingerprint {fingerprint[..16]}…); recorded: {record.Rows} rows (fingerprint {record.Fingerprint[..16]}…)"));
        }
        return checks;
    }
}
