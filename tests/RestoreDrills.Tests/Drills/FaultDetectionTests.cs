using Dapper;

namespace RestoreDrills.Tests.Drills;

/// <summary>
/// A real drill (time target), then faults injected into the data the drill restored: each must turn the
/// verdict red with its cause in the result message, and green again once undone. Proves the drill cannot
/// pass a restore that is wrong in any of these ways.
/// </summary>
[TestFixture]
public sealed class FaultDetectionTests : PreparedDrillTest
{
    private DrillRestore _restore = null!;

    private readonly StringWriter _progress = new();

    protected override RecoveryTargetKind TargetKind => RecoveryTargetKind.Time;
    protected override TextWriter Progress => _progress;

    [OneTimeSetUp]
    public async Task RestoreOnceAsync() => _restore = await Drill.RestoreAsync(Prep, CancellationToken.None);

    private Task<DrillOutcome> VerifyAsync() => Drill.VerifyAsync(Prep, _restore, CancellationToken.None);

    private async Task OnRestoredAsync(string sql, object? args = null)
    {
        await using var db = await Drill.Restored!.OpenAsync(CancellationToken.None);
        await db.ExecuteAsync(sql, args);
    }

    private static string ResultMessage(DrillOutcome outcome) => FailureCategories.Message(outcome.Cause!.Value, outcome.FailureMessage);

    [Test, Order(1)]
    public async Task A_faithful_restore_passes()
    {
        var outcome = await VerifyAsync();
        Assert.That(outcome.Passed, Is.True, outcome.FailureMessage);
    }

    [Test, Order(2)]
    public async Task A_row_written_after_the_target_present_in_the_restore_fails_the_drill()
    {
        var id = Prep.Changes.InsertedIds[0];
        await OnRestoredAsync("INSERT INTO backup_test (id, name) VALUES (@id, 'written after the target')", new { id });
        try
        {
            var outcome = await VerifyAsync();
            Assert.That(outcome.Passed, Is.False);
            Assert.That(ResultMessage(outcome), Does.StartWith("Integrity violation:")
                .And.Contain($"rows inserted after the target are absent: row(s) inserted after the target are present: id={id} name=written after the target"));
        }
        finally
        {
            await OnRestoredAsync("DELETE FROM backup_test WHERE id = @id", new { id });
        }
        Assert.That((await VerifyAsync()).Passed, Is.True, "green again once the fault is undone");
    }

    [Test, Order(3)]
    public async Task A_missing_canonical_row_fails_the_drill()
    {
        await OnRestoredAsync("UPDATE backup_test SET name = 'renamed' WHERE name = 'working_backup_system'");
        try
        {
            var outcome = await VerifyAsync();
            Assert.That(ResultMessage(outcome), Does.Contain("canonical row(s) missing from backup_test: working_backup_system"));
        }
        finally
        {
            await OnRestoredAsync("UPDATE backup_test SET name = 'working_backup_system' WHERE name = 'renamed'");
        }
    }

    [Test, Order(4)]
    public async Task A_replayed_delete_and_a_lost_marker_fail_the_drill()
    {
        var deleted = Prep.Changes.DeletedIds[0];
        var marker = Prep.Markers.Ids[0];
        var rows = (await QueryRestoredAsync("SELECT id, name, created_at FROM backup_test WHERE id = ANY(@ids)", new[] { deleted, marker })).ToList();
        await OnRestoredAsync("DELETE FROM backup_test WHERE id = ANY(@ids)", new { ids = new[] { deleted, marker } });
        try
        {
            var message = ResultMessage(await VerifyAsync());
            Assert.That(message, Does.Contain($"row(s) deleted after the target are missing or altered: ids {deleted}")
                .And.Contain($"marker row(s) written before the target missing or altered: ids {marker}")
                .And.Contain("2 row(s) differ (2 missing)"));
        }
        finally
        {
            foreach (var r in rows)
                await OnRestoredAsync("INSERT INTO backup_test (id, name, created_at) VALUES (@id, @name, @created_at)",
                    new { id = (int)r.id, name = (string)r.name, created_at = (DateTime)r.created_at });
        }
        Assert.That((await VerifyAsync()).Passed, Is.True);
    }

    [Test, Order(5)]
    public async Task An_exceeded_budget_fails_the_drill_with_the_measured_time()
    {
        // The drill's own verification judged against the tight budget (before, the test built its own outcome: removing
        // the budget checks from RestoreDrill left it green).
        Drill.Budgets = ContainersRun.Platform.Settings.Budgets with { Rto = TimeSpan.FromMilliseconds(1) };
        DrillOutcome failed;
        try
        {
            failed = await VerifyAsync();
        }
        finally
        {
            Drill.Budgets = null;
        }
        Assert.That(failed.Cause, Is.EqualTo(FailureCause.BudgetExceeded));
        Assert.That(ResultMessage(failed), Does.StartWith("Timing budget exceeded: 1 of ")
            .And.Contain($"RTO (download to promoted) {failed.Timings.RestoreSeconds:0.000} s exceeds the budget of 0.001 s (RESTOREDRILLS_BUDGET_RTO_SECONDS)"));
        Assert.That((await VerifyAsync()).Passed, Is.True, "green again with the run's budgets");
    }

    [Test, Order(6)]
    public async Task A_target_beyond_the_archive_fails_with_postgres_own_cause_after_start_returned()
    {
        // A time target later than every commit: pg_ctl start returns 0, then recovery ends early and stops.
        await using var restored = await ContainersRun.Platform.CreateRestoredAsync(Drill.Source, CancellationToken.None);
        var failure = Assert.ThrowsAsync<DrillFailure>(() =>
            RestoreSteps.RunAsync(restored, _restore.BackupId, RecoveryTarget.Time(DateTimeOffset.UtcNow.AddHours(1))));
        Assert.That(failure!.Cause, Is.EqualTo(FailureCause.TargetNotReached));
        Assert.That(FailureCategories.Message(failure.Cause, failure.Message),
            Does.StartWith("Recovery target not reached: PostgreSQL stopped during recovery:")
                .And.Contain(RestoredInstance.TargetNotReachedMessage));
    }

    [Test, Order(8)]
    public async Task The_drill_writes_nothing_on_the_source_but_its_own_table()
    {
        await using var db = await Drill.Source.OpenAsync(CancellationToken.None);
        var objects = await db.QueryAsync<string>(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') ORDER BY 1");
        Assert.That(objects, Is.EqualTo(new[] { "backup_test", "backup_test_id_seq", "backup_test_pkey" }));
    }

    [Test, Order(7)]
    public void No_secret_appears_in_the_report_files_or_the_progress_output()
    {
        var connection = ContainersRun.Platform.Store.NetworkConnectionString;
        var accountKey = connection.Split(';').Single(p => p.StartsWith("AccountKey=", StringComparison.Ordinal))["AccountKey=".Length..];
        string[] secrets = [accountKey, connection, Drill.Source.Password];
        var written = Directory.GetFiles(ContainersRun.Scratch.ResultsDirectory).Select(f => (Path.GetFileName(f), File.ReadAllText(f)))
            .Append(("progress output", _progress.ToString())).ToList();
        Assert.That(written.Sum(w => w.Item2.Length), Is.GreaterThan(10_000), "the drill wrote its evidence (recovery log, listings, settings)");
        foreach (var (name, text) in written)
            foreach (var secret in secrets)
                Assert.That(text, Does.Not.Contain(secret), $"{name} holds a secret");
    }

    private async Task<IEnumerable<dynamic>> QueryRestoredAsync(string sql, int[] ids)
    {
        await using var db = await Drill.Restored!.OpenAsync(CancellationToken.None);
        return (await db.QueryAsync(sql, new { ids })).ToList();
    }
}
