namespace RestoreDrills.Tests.Verification;

/// <summary>The engine's pure parts: scope setting, key segments, summaries, changed columns, schema and sequence verdicts, CSV.</summary>
public sealed class VerificationEngineUnitTests
{
    [Test]
    public void The_scope_setting_reads_the_default_all_and_a_list_and_refuses_nonsense()
    {
        Assert.That(VerificationScope.Parse(null).Names, Is.EqualTo(new[] { "backup_test" }));
        Assert.That(VerificationScope.Parse(" ALL ").All, Is.True);
        Assert.That(VerificationScope.Parse("public.a, b").Names, Is.EqualTo(new[] { "public.a", "b" }));
        var e = Assert.Throws<InvalidSettingException>(() => VerificationScope.Parse("a b, c"));
        Assert.That(e!.Message, Does.StartWith("RESTOREDRILLS_VERIFY_TABLES='a b, c'"));
    }

    [Test]
    public void Integer_key_ranges_split_into_contiguous_sub_ranges_covering_the_parent()
    {
        var root = new IntegerKeyRange("\"id\"", 1, 1_000_001);
        var parts = Enumerable.Range(0, KeySegment.FanOut).Select(i => (IntegerKeyRange)root.SubSegment(i)).ToList();
        Assert.That(parts[0].Low, Is.EqualTo(1));
        Assert.That(parts[^1].High, Is.EqualTo(1_000_001));
        Assert.That(parts.Zip(parts.Skip(1)).All(p => p.First.High == p.Second.Low), Is.True, "no gap, no overlap");
        Assert.That(root.Predicate, Is.EqualTo("t.\"id\" >= 1 AND t.\"id\" < 1000001"));
        Assert.That(root.SubSegmentExpression, Is.EqualTo("((t.\"id\")::bigint - 1) / 15625"));
        Assert.That(new IntegerKeyRange("id", 5, 6).CanSplit, Is.False);
    }

    [Test]
    public void Key_hash_buckets_take_six_more_bits_a_level()
    {
        var level2 = new KeyHashBucket("k", 0, 0).SubSegment(5).SubSegment(3);
        Assert.That(level2, Is.EqualTo(new KeyHashBucket("k", 2, 5 | (3 << 6))));
        Assert.That(level2.Predicate, Is.EqualTo("(hashtextextended(k, 1) & 4095) = 197"));
    }

    [Test]
    public void Summaries_of_disjoint_parts_combine_into_the_whole()
    {
        var whole = SegmentSummary.Combine([new(2, "9223372036854775807", 0b0101), new(1, "9223372036854775807", 0b0011)]);
        Assert.That(whole, Is.EqualTo(new SegmentSummary(3, "18446744073709551614", 0b0110)), "no overflow: sums are exact");
    }

    [Test]
    public void A_changed_row_lists_only_its_changed_columns_with_both_values()
    {
        var d = NarrowedRows.Changed("public.t", "[7]", """{"id": 7, "a": "x", "b": null, "c": 1.0}""", """{"id": 7, "a": "x", "b": "", "c": 1.00}""");
        Assert.That(d.ChangedColumns, Is.EqualTo(new[] { "b", "c" }));
        Assert.That(d.Expected, Is.EqualTo("""{"b": null, "c": 1.0}"""));
        Assert.That(d.Restored, Is.EqualTo("""{"b": "", "c": 1.00}"""));
        Assert.That(d.ToCsvLine(), Is.EqualTo("\"public.t\",changed,\"[7]\",\"b c\",\"{\"\"b\"\": null, \"\"c\"\": 1.0}\",\"{\"\"b\"\": \"\"\"\", \"\"c\"\": 1.00}\""));
    }

    [Test]
    public void Schema_differences_name_what_is_missing_changed_or_extra()
    {
        var expected = new Dictionary<string, string> { ["public.i1"] = "CREATE INDEX i1", ["public.i2"] = "CREATE INDEX i2 (a)" };
        var restored = new Dictionary<string, string> { ["public.i2"] = "CREATE INDEX i2 (b)", ["public.i3"] = "CREATE INDEX i3" };
        Assert.That(SchemaComparison.Differences("index", expected, restored), Is.EqualTo(new[]
        {
            "index public.i1 missing on the restored server: CREATE INDEX i1",
            "index public.i2 differs: source at the target 'CREATE INDEX i2 (a)', restored 'CREATE INDEX i2 (b)'",
            "index public.i3 only on the restored server: CREATE INDEX i3",
        }));
        Assert.That(SchemaComparison.Differences("index", expected, expected), Is.Empty);
    }

    [Test]
    public void A_sequence_may_be_ahead_of_the_source_but_never_behind()
    {
        var atTarget = new Dictionary<string, long?> { ["public.a"] = 100, ["public.b"] = 5, ["public.c"] = null };
        var restored = new Dictionary<string, long?> { ["public.a"] = 132, ["public.b"] = null, ["public.c"] = null };
        Assert.That(SchemaComparison.SequenceDifferences(atTarget, restored), Is.EqualTo(new[]
        {
            "sequence public.b behind: last_value never used on the restored server, 5 on the source at the target",
        }));
        Assert.That(SchemaComparison.SequenceDifferences(atTarget, new Dictionary<string, long?> { ["public.a"] = 99, ["public.b"] = 5, ["public.c"] = 1 }),
            Is.EqualTo(new[] { "sequence public.a behind: last_value 99 on the restored server, 100 on the source at the target" }));
    }

    [Test]
    public void The_report_fails_each_check_with_its_findings_and_passes_a_clean_run()
    {
        var equal = new TableVerification("public.t", "primary key ranges, type hash", 3, 3, "1/0", "1/0", [], "", null, TimeSpan.Zero);
        var clean = new VerificationReport(VerificationScope.AllTables, [equal], [], new PhysicalCheckResult(4, 5, []), TimeSpan.Zero);
        Assert.That(clean.Checks().Select(c => c.ToString()), Is.EqualTo(new[]
        {
            $"PASS {VerificationReport.TablesCheck}: 1 table(s) in scope 'all', 3 rows, 0 differences",
            $"PASS {VerificationReport.SchemaCheck}: 0 differences",
            $"PASS {VerificationReport.PhysicalCheck}: 4 heaps and 5 B-tree indexes read, 0 findings",
        }));
        var missing = new TableRowDifference("public.t", DifferenceKind.Missing, "[2]", [], "{}", null);
        var wrong = equal with { RestoredRows = 2, RestoredFingerprint = "0/0", Differences = [missing] };
        var broken = new VerificationReport(VerificationScope.AllTables, [wrong], ["index x missing"], new PhysicalCheckResult(4, 5, ["public.t: XX001 invalid page"]), TimeSpan.Zero);
        Assert.That(broken.Checks().Select(c => c.ToString()), Is.EqualTo(new[]
        {
            $"FAIL {VerificationReport.TablesCheck}: 1 of 1 table(s) differ: public.t: 3 rows expected, 2 restored; 1 missing, e.g. missing public.t [2]",
            $"FAIL {VerificationReport.SchemaCheck}: 1 difference(s): index x missing",
            $"FAIL {VerificationReport.PhysicalCheck}: 1 finding(s) in 4 heaps and 5 indexes: public.t: XX001 invalid page",
        }));
        Assert.That(broken.RowDifferencesCsv(), Is.EqualTo(TableRowDifference.CsvHeader + "\n\"public.t\",missing,\"[2]\",\"\",\"{}\",\n"));
        // Failed before: the "verification" attachment held two tables of different shapes, which a spreadsheet reads as one.
        Assert.That(broken.ToCsv().TrimEnd('\n').Split('\n'), Has.Length.EqualTo(2).And.Some.StartWith(TableVerification.CsvHeader).And.None.Contains("finding_kind"));
        Assert.That(broken.FindingsCsv(), Is.EqualTo(VerificationReport.FindingsCsvHeader + "\nschema,\"index x missing\"\nphysical,\"public.t: XX001 invalid page\"\n"));
    }
}
