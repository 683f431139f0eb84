using RestoreDrills.Seeding;

namespace RestoreDrills.Verification;

/// <summary>
/// The row-level proofs of a restore, each a pure function of what the source held at the target and what
/// the restored server holds, so each can be shown to catch the fault it exists for.
/// </summary>
public static class RestoreChecks
{
    public static CheckResult CanonicalRowsPresent(TableSnapshot restored)
    {
        var names = restored.Rows.Values.Select(r => r.Name).ToHashSet();
        var missing = BackupTestSeed.CanonicalNames.Where(n => !names.Contains(n)).ToList();
        return missing.Count == 0
            ? CheckResult.Pass(CheckKind.Integrity, "the five canonical rows are present", string.Join(", ", BackupTestSeed.CanonicalNames))
            : CheckResult.Fail(CheckKind.Integrity, "the five canonical rows are present", $"canonical row(s) missing from backup_test: {string.Join(", ", missing)}");
    }

    public static CheckResult MarkersBeforeTargetPresent(TableSnapshot expected, TableSnapshot restored, PreTargetMarkers markers)
    {
        var wrong = markers.Ids.Where(id => !restored.Rows.TryGetValue(id, out var row) || row != expected.Rows[id]).ToList();
        return wrong.Count == 0
            ? CheckResult.Pass(CheckKind.Integrity, "every marker row written before the target is restored", $"ids {string.Join(", ", markers.Ids)}")
            : CheckResult.Fail(CheckKind.Integrity, "every marker row written before the target is restored", $"marker row(s) written before the target missing or altered: ids {string.Join(", ", wrong)}");
    }

    /// <summary>The rows written on each new timeline of the source: a restore that stayed on an older one lacks them.</summary>
    public static CheckResult RowsAfterTimelineChangesPresent(TableSnapshot expected, TableSnapshot restored, IReadOnlyList<int> ids)
    {
        const string name = "the rows written on each new timeline of the source are restored";
        var missing = ids.Where(id => !restored.Rows.TryGetValue(id, out var row) || row != expected.Rows[id]).ToList();
        return missing.Count == 0
            ? CheckResult.Pass(CheckKind.Integrity, name, string.Join("; ", ids.Select(id => expected.Rows[id].Name)))
            : CheckResult.Fail(CheckKind.Integrity, name, $"missing or altered: {string.Join("; ", missing.Select(id => expected.Rows[id].Name))}");
    }

    public static CheckResult InsertsAfterTargetAbsent(TableSnapshot restored, PostTargetChanges changes)
    {
        var present = changes.InsertedIds.Where(restored.Rows.ContainsKey).ToList();
        return present.Count == 0
            ? CheckResult.Pass(CheckKind.Integrity, "rows inserted after the target are absent", $"ids {string.Join(", ", changes.InsertedIds)} absent")
            : CheckResult.Fail(CheckKind.Integrity, "rows inserted after the target are absent", $"row(s) inserted after the target are present: {string.Join("; ", present.Select(id => restored.Rows[id]))}");
    }

    public static CheckResult UpdatesAfterTargetAbsent(TableSnapshot expected, TableSnapshot restored, PostTargetChanges changes)
    {
        var changed = changes.UpdatedIds.Where(id => !restored.Rows.TryGetValue(id, out var row) || row != expected.Rows[id]).ToList();
        return changed.Count == 0
            ? CheckResult.Pass(CheckKind.Integrity, "rows updated after the target keep their values at the target", $"ids {string.Join(", ", changes.UpdatedIds)} unchanged")
            : CheckResult.Fail(CheckKind.Integrity, "rows updated after the target keep their values at the target",
                $"row(s) do not hold their values at the target: {string.Join("; ", changed.Select(id => restored.Rows.TryGetValue(id, out var r) ? r.ToString() : $"id={id} missing"))}");
    }

    public static CheckResult DeletesAfterTargetAbsent(TableSnapshot expected, TableSnapshot restored, PostTargetChanges changes)
    {
        var gone = changes.DeletedIds.Where(id => !restored.Rows.TryGetValue(id, out var row) || row != expected.Rows[id]).ToList();
        return gone.Count == 0
            ? CheckResult.Pass(CheckKind.Integrity, "rows deleted after the target are still there", $"ids {string.Join(", ", changes.DeletedIds)} present")
            : CheckResult.Fail(CheckKind.Integrity, "rows deleted after the target are still there", $"row(s) deleted after the target are missing or altered: ids {string.Join(", ", gone)}");
    }

    public static CheckResult AllRowsEqualSourceAtTarget(IReadOnlyList<RowDifference> differences, int expectedCount)
    {
        if (differences.Count == 0)
            return CheckResult.Pass(CheckKind.Integrity, "backup_test equals the source at the target, row by row", $"{expectedCount} rows compared, 0 differences");
        var counts = differences.GroupBy(d => d.Kind).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
        var first = string.Join("; ", differences.Take(3).Select(d => $"{d.Kind.ToString().ToLowerInvariant()} id={d.Id}"));
        return CheckResult.Fail(CheckKind.Integrity, "backup_test equals the source at the target, row by row",
            $"{differences.Count} row(s) differ ({string.Join(", ", counts)}) of {expectedCount} expected, e.g. {first}");
    }

    public static CheckResult TimelineAdvanced(int sourceTimeline, int restoredTimeline) =>
        restoredTimeline > sourceTimeline
            ? CheckResult.Pass(CheckKind.Restore, "the restored server was promoted onto a new timeline", $"timeline {sourceTimeline} -> {restoredTimeline}")
            : CheckResult.Fail(CheckKind.Restore, "the restored server was promoted onto a new timeline", $"timeline did not advance: source {sourceTimeline}, restored {restoredTimeline}");

    public static CheckResult ArchivingOff(string archiveMode) =>
        archiveMode == "off"
            ? CheckResult.Pass(CheckKind.Setting, "the restored server does not archive (never writes into the source's archive)", "archive_mode = off")
            : CheckResult.Fail(CheckKind.Setting, "the restored server does not archive (never writes into the source's archive)", $"archive_mode = {archiveMode}");
}
