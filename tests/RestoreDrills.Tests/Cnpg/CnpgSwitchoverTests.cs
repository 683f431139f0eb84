using Dapper;

namespace RestoreDrills.Tests.Cnpg;

/// <summary>
/// The production CNPG drills against a source that switched over after the drilled backup, as a CNPG cluster does on a
/// rolling update (the double's source: a standby joins with pg_basebackup, the primary stops, pg_promote; the new
/// primary archives the history file and the old timeline's .partial, as a promoted replica does). Restored to latest,
/// a time or an LSN after the switchover, the restore must follow timeline 2 and hold the row written on it; the same
/// store without 00000002.history must fail each drill.
/// </summary>
public sealed class CnpgSwitchoverTests : OperatedSourceTest
{
    public static readonly RecoveryTargetKind[] Kinds = [RecoveryTargetKind.Latest, RecoveryTargetKind.Time, RecoveryTargetKind.Lsn];

    [TestCaseSource(nameof(Kinds))]
    public async Task A_CNPG_drill_after_a_switchover_follows_the_new_timeline_and_holds_the_rows_written_on_it(RecoveryTargetKind kind)
    {
        var (outcome, afterSwitchover, expected) = await DrillAfterSwitchoverAsync(kind, loseHistory: false);

        Assert.That(outcome!.Checks.Where(c => !c.Passed).Select(c => c.ToString()), Is.Empty);
        Assert.That(expected.Rows.Keys, Does.Contain(afterSwitchover), "the row written on timeline 2 is part of the state at the target");
        Assert.That(outcome.Checks.Select(c => c.Name), Has.Some.StartWith("backup_test equals"), "the rows compared hold it");
        if (kind == RecoveryTargetKind.Latest)
            Assert.That(outcome.Checks.Single(c => c.Name == ArchiveEndCheck.Name).Detail, Does.Contain("on timeline 2"));
    }

    [TestCaseSource(nameof(Kinds))]
    public async Task A_CNPG_drill_after_a_switchover_whose_history_file_is_lost_fails(RecoveryTargetKind kind)
    {
        DrillFailure? failure = null;
        DrillOutcome? outcome = null;
        try
        {
            (outcome, _, _) = await DrillAfterSwitchoverAsync(kind, loseHistory: true);
        }
        catch (DrillFailure e)
        {
            failure = e;
        }

        var said = failure?.Message ?? outcome!.FailureMessage;
        TestContext.Progress.WriteLine($"CNPG {kind.Id()} without 00000002.history: {said.Replace('\n', ' ')}");
        Assert.That(failure is not null || !outcome!.Passed, Is.True, "a restore that stayed on timeline 1 must not pass");
        if (kind == RecoveryTargetKind.Latest)
        {
            Assert.That(outcome!.Cause, Is.EqualTo(FailureCause.WalArchivingFailed));
            Assert.That(outcome.Checks.Single(c => c.Name == ArchiveEndCheck.Name).Detail, Does.Contain("stayed on timeline 1"));
        }
        else
        {
            // PostgreSQL's own verdict: timeline 1 ends at the fork, before the target.
            Assert.That(failure!.Cause, Is.EqualTo(FailureCause.TargetNotReached));
            Assert.That(failure.Message, Does.EndWith("FATAL:  recovery ended before configured recovery target was reached"));
        }
    }

    /// <summary>backup → switchover → a row on timeline 2 → the target → changes after it → archived → (history lost) → restore.</summary>
    private async Task<(DrillOutcome? Outcome, int AfterSwitchover, TableSnapshot Expected)> DrillAfterSwitchoverAsync(RecoveryTargetKind kind, bool loseHistory)
    {
        await using var seeded = await StartSeededSourceAsync($"cnpg-sw-{kind.Id()}", Ct);
        var (source, settings, drill) = (seeded.Source, seeded.Settings, seeded.Drill);
        await drill.PreflightAsync(Ct);
        var backup = await drill.BackUpAsync(Ct);

        var change = await source.SwitchOverAsync(TimeSpan.FromSeconds(120), Ct);
        Assert.That(change.ToTimeline, Is.EqualTo(2));
        await using var db = await source.OpenAsync(Ct); // the promoted standby
        var row = await db.ExecuteScalarAsync<int>("INSERT INTO backup_test (name) VALUES ('written on timeline 2') RETURNING id");
        if (kind == RecoveryTargetKind.Latest) await source.SwitchWalAndWaitArchivedAsync(TimeSpan.FromSeconds(60), Ct);
        var target = kind switch
        {
            RecoveryTargetKind.Time => RecoveryTarget.Time(await SourceWorkload.ServerClockAsync(db)),
            RecoveryTargetKind.Lsn => RecoveryTarget.Lsn(await db.ExecuteScalarAsync<string>("SELECT pg_current_wal_insert_lsn()::text") ?? ""),
            _ => RecoveryTarget.Latest(),
        };
        var expected = await TableSnapshot.ReadAsync(db);
        PostTargetChanges? changes = null;
        if (kind != RecoveryTargetKind.Latest)
        {
            changes = await SourceWorkload.ApplyChangesAfterTargetAsync(db, settings.SourceServerName, expected);
            if (kind == RecoveryTargetKind.Time) await Task.Delay(SourceArchive.PastTimeTarget + TimeSpan.FromMilliseconds(100), Ct);
            await source.SwitchWalAndWaitArchivedAsync(TimeSpan.FromSeconds(60), Ct);
            await db.ExecuteAsync("SELECT pg_create_restore_point('after-the-target')");
            await source.SwitchWalAndWaitArchivedAsync(TimeSpan.FromSeconds(60), Ct);
        }
        await ReportArchiverAsync(db);
        if (loseHistory)
            await ContainersRun.Platform.Store.Blobs.DeleteBlobAsync($"{settings.SourceServerName}/wals/00000002.history.gz", cancellationToken: Ct);

        var outcome = await drill.RestoreAsync(backup, target, Ct, RestoredRowChecks.For(expected, null, changes));
        return (outcome, row, expected);
    }
}
