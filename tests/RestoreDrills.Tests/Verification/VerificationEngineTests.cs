using Dapper;

namespace RestoreDrills.Tests.Verification;

/// <summary>
/// One real drill (named restore point, every user table in scope) whose source holds one table per kind of
/// difference; each test tampers with its own table of the restored copy, verifies, and checks that the engine
/// names the difference precisely (table, kind, key, columns), then undoes it. The source keeps changing after
/// the target (the drill's post-target changes), so a clean verdict also proves the engine reads the source as
/// of the target.
/// </summary>
[TestFixture]
public sealed class VerificationEngineTests : PreparedDrillTest
{
    private const int Rows = 2000;
    private DrillRestore _restore = null!;

    protected override RecoveryTargetKind TargetKind => RecoveryTargetKind.Name;
    protected override TextWriter Progress => TestContext.Progress;

    protected override RestoreDrill NewDrill(DrillJournal journal) =>
        new(ContainersRun.Platform, TargetKind, journal)
        {
            VerifyTables = VerificationScope.AllTables,
            // Through the prefetching restore_command: a restore it made incomplete or wrong would fail every check here.
            WalMaxParallel = 4,
            WorkloadBeforeTarget = async (db, ct) =>
            {
                foreach (var table in new[] { "deleted_row", "added_row", "changed_value", "null_or_empty", "corrupt_page" })
                    await WideTable.CreateAsync(db, table, Rows, ct);
                await WideTable.CreateAsync(db, "keyless", Rows, ct, primaryKey: false);
                await db.ExecuteAsync("""
                    CREATE TABLE text_key (code text PRIMARY KEY, qty integer);
                    INSERT INTO text_key SELECT 'k' || lpad(g::text, 5, '0'), g FROM generate_series(1, 3000) g;
                    CREATE TABLE indexed (id serial PRIMARY KEY, label text);
                    CREATE INDEX indexed_label_idx ON indexed (label);
                    INSERT INTO indexed (label) SELECT 'label ' || g FROM generate_series(1, 500) g;
                    """);
            },
        };

    [OneTimeSetUp]
    public async Task RestoreOnceAsync() => _restore = await Drill.RestoreAsync(Prep, CancellationToken.None);

    private async Task<VerificationReport> VerifyAsync()
    {
        await Drill.VerifyAsync(Prep, _restore, CancellationToken.None);
        return Drill.LastVerification!;
    }

    private async Task OnRestoredAsync(string sql, object? args = null)
    {
        await using var db = await Drill.Restored!.OpenAsync(CancellationToken.None);
        await db.ExecuteAsync(sql, args);
    }

    private static TableVerification Table(VerificationReport report, string name) =>
        report.Tables.Single(t => t.Table == $"public.{name}");

    private static CheckResult Check(VerificationReport report, string name) => report.Checks().Single(c => c.Name == name);

    /// <summary>
    /// The runbook of each fault below: break the restored copy, assert what verification names, mend it (also when an
    /// assertion failed, so later tests see a clean copy) and prove it verifies clean again.
    /// </summary>
    private async Task UnderFaultAsync(string fault, Func<Task> assertions, Func<Task> mend)
    {
        await OnRestoredAsync(fault);
        try
        {
            await assertions();
        }
        finally
        {
            await mend();
        }
        await AssertCleanAsync();
    }

    private async Task AssertCleanAsync()
    {
        var report = await VerifyAsync();
        Assert.That(report.Checks().Where(c => !c.Passed), Is.Empty, "green again once the fault is undone");
    }

    [Test, Order(1)]
    public async Task A_clean_restore_passes_every_check_although_the_source_changed_after_the_target()
    {
        var outcome = await Drill.VerifyAsync(Prep, _restore, CancellationToken.None);
        Assert.That(outcome.Passed, Is.True, outcome.FailureMessage);
        var report = Drill.LastVerification!;
        Assert.That(report.Tables.Select(t => t.Table), Is.EquivalentTo(new[]
        {
            "public.added_row", "public.backup_test", "public.changed_value", "public.corrupt_page", "public.deleted_row",
            "public.indexed", "public.keyless", "public.null_or_empty", "public.text_key",
        }));
        Assert.That(Table(report, "changed_value").ExpectedRows, Is.EqualTo(Rows));
        Assert.That(Table(report, "text_key").Method, Is.EqualTo("primary key hash buckets, type hash"));
        Assert.That(Table(report, "backup_test").Method, Is.EqualTo("primary key ranges, text hash"), "varchar has no hash opclass of its own: the text form");
        Assert.That(Table(report, "keyless").Method, Is.EqualTo("multiset (no primary key), type hash"));
        Assert.That(report.Physical.Indexes, Is.GreaterThan(5), "amcheck read the B-tree indexes");

        await using var live = await Drill.Source.OpenAsync(CancellationToken.None);
        var postTargetRows = await live.ExecuteScalarAsync<long>("SELECT count(*) FROM backup_test WHERE id = ANY(@ids)", new { ids = Prep.Changes.InsertedIds.ToArray() });
        Assert.That(postTargetRows, Is.EqualTo(Prep.Changes.InsertedIds.Count),
            "the live source holds the post-target inserts the restore lacks: the engine read the source as of the target");
    }

    [Test, Order(1)]
    public void The_restore_replayed_its_WAL_through_the_CNPG_style_restore_command_four_segments_a_call()
    {
        var walRestore = _restore.WalRestore!;
        var fromSpool = walRestore.Requests.Where(r => r.Answer == "spool").Select(r => r.File).ToList();
        Assert.That(fromSpool, Is.Not.Empty, $"prefetched segments were served from the spool: {walRestore.Text}");
        // PostgreSQL asks again for the last segment once the archive has no next one: a second download then is its own request.
        Assert.That(walRestore.Calls.Where(c => c.ExitCode == 0).GroupBy(c => c.File).Where(g => g.Count() > walRestore.Requests.Count(r => r.File == g.Key)),
            Is.Empty, $"no file was downloaded more often than PostgreSQL asked for it: {walRestore.Text}");
        var expectedCalls = walRestore.Requests.Where(r => r.Answer is "fetched" or "failed").Sum(r => r.File.EndsWith(".history", StringComparison.Ordinal) ? 1 : 4);
        Assert.That(walRestore.Calls, Has.Count.EqualTo(expectedCalls), "each request not in the spool fetched its segment and the next three at once, a history file alone");
    }

    [Test, Order(2)]
    public async Task A_deleted_row_is_named_missing_by_its_key()
    {
        var row = await RowAsync("deleted_row", 777);
        await UnderFaultAsync("DELETE FROM deleted_row WHERE id = 777", async () =>
        {
            var report = await VerifyAsync();
            var table = Table(report, "deleted_row");
            Assert.That(table.Differences, Has.Count.EqualTo(1));
            Assert.That(table.Differences[0].Kind, Is.EqualTo(DifferenceKind.Missing));
            Assert.That(table.Differences[0].Key, Is.EqualTo("[777]"));
            Assert.That(table.RestoredRows, Is.EqualTo(Rows - 1));
            Assert.That(Check(report, VerificationReport.TablesCheck).Detail, Does.Contain("public.deleted_row: 2000 rows expected, 1999 restored; 1 missing, e.g. missing public.deleted_row [777]"));
            Assert.That(report.Tables.Where(t => !t.Equal).Select(t => t.Table), Is.EqualTo(new[] { "public.deleted_row" }), "no other table blamed");
        }, () => OnRestoredAsync("INSERT INTO deleted_row SELECT * FROM jsonb_populate_record(NULL::deleted_row, @row::jsonb)", new { row }));
    }

    [Test, Order(3)]
    public async Task An_added_row_is_named_extra_by_its_key()
    {
        await UnderFaultAsync("INSERT INTO added_row (id, label) VALUES (1500000, 'not in the source')", async () =>
        {
            var table = Table(await VerifyAsync(), "added_row");
            Assert.That(table.Differences.Select(d => (d.Kind, d.Key)), Is.EqualTo(new[] { (DifferenceKind.Extra, "[1500000]") }));
            Assert.That(table.Differences[0].Restored, Does.Contain("not in the source"));
        }, () => OnRestoredAsync("DELETE FROM added_row WHERE id = 1500000"));
    }

    [TestCase("label", "'label changed'", TestName = "A_changed_text_value_is_named_with_its_column")]
    [TestCase("amount", "amount + 0.01", TestName = "A_changed_numeric_value_is_named_with_its_column")]
    [TestCase("doc", "doc || '{\"n\": -1}'", TestName = "A_changed_jsonb_value_is_named_with_its_column")]
    [TestCase("happened_at", "happened_at + interval '1 microsecond'", TestName = "A_changed_timestamp_value_is_named_with_its_column")]
    [Order(4)]
    public async Task A_changed_value_is_named_with_its_column(string column, string newValue)
    {
        var row = await RowAsync("changed_value", 1234);
        await UnderFaultAsync($"UPDATE changed_value SET {column} = {newValue} WHERE id = 1234", async () =>
        {
            var table = Table(await VerifyAsync(), "changed_value");
            Assert.That(table.Differences, Has.Count.EqualTo(1));
            var difference = table.Differences[0];
            Assert.That((difference.Kind, difference.Key), Is.EqualTo((DifferenceKind.Changed, "[1234]")));
            Assert.That(difference.ChangedColumns, Is.EqualTo(new[] { column }));
            Assert.That(difference.Expected, Does.StartWith($"{{\"{column}\": "));
            Assert.That(difference.Expected, Is.Not.EqualTo(difference.Restored));
            Assert.That(TableRowDifference.ToCsv(table.Differences), Does.Contain($"\"public.changed_value\",changed,\"[1234]\",\"{column}\""));
        }, () => RestoreRowAsync("changed_value", row));
    }

    [Test, Order(5)]
    public async Task Null_and_empty_string_are_told_apart()
    {
        // Row 10 holds NULL in note (every tenth row does).
        await UnderFaultAsync("UPDATE null_or_empty SET note = '' WHERE id = 10", async () =>
        {
            var difference = Table(await VerifyAsync(), "null_or_empty").Differences.Single();
            Assert.That((difference.Kind, difference.Key), Is.EqualTo((DifferenceKind.Changed, "[10]")));
            Assert.That(difference.ChangedColumns, Is.EqualTo(new[] { "note" }));
            Assert.That(difference.Expected, Is.EqualTo("{\"note\": null}"));
            Assert.That(difference.Restored, Is.EqualTo("{\"note\": \"\"}"));
        }, () => OnRestoredAsync("UPDATE null_or_empty SET note = NULL WHERE id = 10"));
    }

    [Test, Order(6)]
    public async Task A_keyless_table_is_compared_as_a_multiset_with_a_note()
    {
        var row = await RowAsync("keyless", 42);
        await UnderFaultAsync("DELETE FROM keyless WHERE id = 42", async () =>
        {
            var table = Table(await VerifyAsync(), "keyless");
            Assert.That(table.Note, Does.StartWith("no primary key: compared as a multiset"));
            var difference = table.Differences.Single();
            Assert.That(difference.Kind, Is.EqualTo(DifferenceKind.Missing));
            Assert.That(difference.Key, Does.StartWith("row hash ").And.EndWith(" x1"));
            Assert.That(difference.Expected, Does.Contain("\"id\": 42,"));
        }, () => OnRestoredAsync("INSERT INTO keyless SELECT * FROM jsonb_populate_record(NULL::keyless, @row::jsonb)", new { row }));
    }

    [Test, Order(7)]
    public async Task A_changed_row_of_a_text_keyed_table_is_named_by_its_key()
    {
        await UnderFaultAsync("UPDATE text_key SET qty = -1 WHERE code = 'k02345'", async () =>
        {
            var difference = Table(await VerifyAsync(), "text_key").Differences.Single();
            Assert.That((difference.Kind, difference.Key, difference.ChangedColumns.Single()), Is.EqualTo((DifferenceKind.Changed, "[\"k02345\"]", "qty")));
        }, () => OnRestoredAsync("UPDATE text_key SET qty = 2345 WHERE code = 'k02345'"));
    }

    [Test, Order(8)]
    public async Task A_dropped_index_is_named_in_the_schema_differences()
    {
        await UnderFaultAsync("DROP INDEX indexed_label_idx", async () =>
        {
            var report = await VerifyAsync();
            Assert.That(report.SchemaDifferences, Is.EqualTo(new[]
            {
                "index public.indexed_label_idx missing on the restored server: CREATE INDEX indexed_label_idx ON public.indexed USING btree (label)",
            }));
            Assert.That(Check(report, VerificationReport.SchemaCheck).Passed, Is.False);
            Assert.That(Check(report, VerificationReport.TablesCheck).Passed, Is.True, "the rows themselves are intact");
        }, () => OnRestoredAsync("CREATE INDEX indexed_label_idx ON indexed (label)"));
    }

    [Test, Order(9)]
    public async Task A_sequence_behind_the_source_at_the_target_is_named()
    {
        await using var db = await Drill.Restored!.OpenAsync(CancellationToken.None);
        var before = await db.ExecuteScalarAsync<long>("SELECT last_value FROM indexed_id_seq");
        await UnderFaultAsync("SELECT setval('indexed_id_seq', 3)", async () =>
        {
            var report = await VerifyAsync();
            Assert.That(report.SchemaDifferences, Is.EqualTo(new[]
            {
                "sequence public.indexed_id_seq behind: last_value 3 on the restored server, 500 on the source at the target",
            }));
        }, () => db.ExecuteAsync("SELECT setval('indexed_id_seq', @before)", new { before }));
    }

    [Test, Order(20)]
    public async Task A_corrupted_page_is_named_by_the_table_comparison_and_by_amcheck()
    {
        // Flip bytes inside block 1 of corrupt_page on disk while the server is stopped, so the page comes back
        // from disk (not shared buffers) and fails its checksum.
        await using (var db = await Drill.Restored!.OpenAsync(CancellationToken.None))
        {
            var file = await db.ExecuteScalarAsync<string>("SELECT current_setting('data_directory') || '/' || pg_relation_filepath('corrupt_page')");
            await ExecOnRestoredAsync("pg_ctl -D /var/lib/postgresql/data -m fast -w stop"
                + $" && printf '%0.s\\377' $(seq 1 64) | dd of={file} bs=1 seek={8192 + 1000} count=64 conv=notrunc status=none"
                + " && pg_ctl -D /var/lib/postgresql/data -l /var/lib/postgresql/recovery.log -w start");
        }
        var outcome = await Drill.VerifyAsync(Prep, _restore, CancellationToken.None);
        var report = Drill.LastVerification!;
        var table = Table(report, "corrupt_page");
        Assert.That(table.Error, Does.StartWith("cannot be read on the restored server: XX001 invalid page in block 1 of relation"));
        Assert.That(report.Physical.Findings, Has.Some.StartWith("public.corrupt_page: XX001 invalid page in block 1"));
        Assert.That(report.Tables.Where(t => !t.Equal).Select(t => t.Table), Is.EqualTo(new[] { "public.corrupt_page" }));
        Assert.That(FailureCategories.Message(outcome.Cause!.Value, outcome.FailureMessage), Does.StartWith("Integrity violation:")
            .And.Contain("public.corrupt_page: cannot be read on the restored server: XX001"));
    }

    private async Task ExecOnRestoredAsync(string script)
    {
        var result = await Drill.Restored!.ExecAsync(["bash", "-c", script], CancellationToken.None);
        Assert.That(result.ExitCode, Is.Zero, result.Stderr + result.Stdout);
    }

    private async Task<string> RowAsync(string table, long id)
    {
        await using var db = await Drill.Restored!.OpenAsync(CancellationToken.None);
        return await db.ExecuteScalarAsync<string>($"SELECT to_jsonb(t)::text FROM {table} t WHERE id = @id", new { id }) ?? throw new InvalidOperationException("no such row");
    }

    private Task RestoreRowAsync(string table, string row) =>
        OnRestoredAsync($"""
            UPDATE {table} t SET label = r.label, amount = r.amount, doc = r.doc, happened_at = r.happened_at, recorded_at = r.recorded_at, note = r.note
            FROM jsonb_populate_record(NULL::{table}, @row::jsonb) r WHERE t.id = r.id
            """, new { row });
}
