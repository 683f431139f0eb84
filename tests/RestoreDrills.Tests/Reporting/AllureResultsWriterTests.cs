using System.Text.Json;

namespace RestoreDrills.Tests.Reporting;

/// <summary>The result files, checked field by field against the Allure 2 format both CLIs read.</summary>
public sealed class AllureResultsWriterTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("allure-test-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    private AllureResult WriteDrillResult(AllureStatus status, string? message, Action<DrillJournal>? journalWork = null)
    {
        var writer = new AllureResultsWriter(_dir);
        var journal = new DrillJournal(writer, TextWriter.Null, "test");
        journalWork?.Invoke(journal);
        var result = DrillResultBuilder.Build(DrillCatalog.For(RecoveryTargetKind.Time), journal, status, message, null,
            DateTimeOffset.FromUnixTimeMilliseconds(1000), DateTimeOffset.FromUnixTimeMilliseconds(2000), "host1");
        writer.WriteResult(result);
        return result;
    }

    private JsonElement ReadResult(AllureResult result)
    {
        var bytes = File.ReadAllBytes(Path.Combine(_dir, $"{result.Uuid}-result.json"));
        Assert.That(bytes[0], Is.EqualTo((byte)'{'), "no byte-order mark: Allure 3's JSON reader rejects it");
        return JsonDocument.Parse(bytes).RootElement;
    }

    [Test]
    public void A_result_has_the_exact_field_names_and_lowercase_status()
    {
        var json = ReadResult(WriteDrillResult(AllureStatus.Failed, "Integrity violation: x"));
        Assert.Multiple(() =>
        {
            foreach (var field in new[] { "uuid", "historyId", "testCaseId", "fullName", "name", "description", "status", "statusDetails", "stage", "start", "stop", "labels", "parameters", "steps", "attachments" })
                Assert.That(json.TryGetProperty(field, out _), Is.True, field);
            Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("failed"));
            Assert.That(json.GetProperty("stage").GetString(), Is.EqualTo("finished"));
            Assert.That(json.GetProperty("start").GetInt64(), Is.EqualTo(1000));
            Assert.That(json.GetProperty("statusDetails").GetProperty("message").GetString(), Is.EqualTo("Integrity violation: x"));
            Assert.That(json.GetProperty("fullName").GetString(), Is.EqualTo("RestoreDrills.Containers.DR-PITR-TIME"));
            Assert.That(json.GetProperty("labels").EnumerateArray().Select(l => l.GetProperty("name").GetString() + "=" + l.GetProperty("value").GetString()),
                Does.Contain("severity=critical").And.Contain("tag=DR-PITR-TIME").And.Contain("feature=Recovery targets"));
        });
    }

    [Test]
    public void The_recovery_target_parameter_starts_with_the_kind_and_stays_out_of_the_history_key()
    {
        var a = WriteDrillResult(AllureStatus.Passed, null, j => j.Parameter("recoveryTarget", "time=2026-11-25 18:00:00+00", excluded: true));
        var b = WriteDrillResult(AllureStatus.Passed, null, j => j.Parameter("recoveryTarget", "time=2026-11-26 18:00:00+00", excluded: true));
        var json = ReadResult(a);
        var parameter = json.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "recoveryTarget");
        Assert.Multiple(() =>
        {
            Assert.That(parameter.GetProperty("value").GetString(), Does.StartWith("time"));
            Assert.That(parameter.GetProperty("excluded").GetBoolean(), Is.True);
            Assert.That(a.HistoryId, Is.EqualTo(b.HistoryId), "a new run of the same drill continues its history");
            Assert.That(AllureResultsWriter.HistoryId("f", [new("targetKind", "time")]),
                Is.Not.EqualTo(AllureResultsWriter.HistoryId("f", [new("targetKind", "lsn")])));
        });
    }

    [Test]
    public void Steps_nest_and_carry_their_attachments_as_allure_3_names_them()
    {
        var result = WriteDrillResult(AllureStatus.Passed, null, j =>
            j.StepAsync("outer", () => j.StepAsync("inner", () => { j.Attach("log", "hello"); return Task.CompletedTask; })).GetAwaiter().GetResult());
        var inner = ReadResult(result).GetProperty("steps")[0].GetProperty("steps")[0];
        var attachment = inner.GetProperty("attachments")[0];
        Assert.Multiple(() =>
        {
            Assert.That(inner.GetProperty("name").GetString(), Is.EqualTo("inner"));
            Assert.That(inner.GetProperty("status").GetString(), Is.EqualTo("passed"));
            Assert.That(attachment.GetProperty("source").GetString(), Does.Match("^[0-9a-f-]{36}-attachment\\.txt$"));
            Assert.That(File.ReadAllText(Path.Combine(_dir, attachment.GetProperty("source").GetString()!)), Is.EqualTo("hello"));
        });
    }

    [Test]
    public void A_step_that_finds_a_fault_is_failed_and_one_that_crashes_is_broken()
    {
        var result = WriteDrillResult(AllureStatus.Failed, null, j =>
        {
            Assert.ThrowsAsync<DrillFailure>(() => j.StepAsync("restore", () => throw new DrillFailure(FailureCause.RestoreFailed, "no WAL")));
            Assert.ThrowsAsync<InvalidOperationException>(() => j.StepAsync("setup", () => throw new InvalidOperationException("docker gone")));
        });
        var steps = ReadResult(result).GetProperty("steps");
        Assert.Multiple(() =>
        {
            Assert.That(steps[0].GetProperty("status").GetString(), Is.EqualTo("failed"));
            Assert.That(steps[0].GetProperty("statusDetails").GetProperty("message").GetString(), Is.EqualTo("no WAL"));
            Assert.That(steps[1].GetProperty("status").GetString(), Is.EqualTo("broken"));
        });
    }

    [Test]
    public void Secrets_are_masked_in_results_attachments_and_run_files()
    {
        var secret = SecretMasker.Register("AccountKey=" + Guid.NewGuid().ToString("N"));
        var result = WriteDrillResult(AllureStatus.Failed, $"failed with {secret}", j => j.Attach("log", $"conn {secret} end"));
        var writer = new AllureResultsWriter(_dir);
        writer.WriteEnvironment(new Dictionary<string, string> { ["store"] = secret });
        Assert.That(result.StatusDetails!.Message, Does.Not.Contain(secret));
        foreach (var file in Directory.GetFiles(_dir))
            Assert.That(File.ReadAllText(file), Does.Not.Contain(secret), Path.GetFileName(file));
        Assert.That(string.Concat(Directory.GetFiles(_dir).Select(File.ReadAllText)), Does.Contain(SecretMasker.Mask));
    }

    [Test]
    public void Environment_executor_and_categories_files_are_written()
    {
        var writer = new AllureResultsWriter(_dir);
        writer.WriteEnvironment(new Dictionary<string, string> { ["postgres.image"] = "restoredrills/postgres:15", ["b"] = "x=y" });
        writer.WriteExecutor(new AllureExecutor("CI", "ci", BuildName: "42"));
        writer.WriteCategories(FailureCategories.All);
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(Path.Combine(_dir, "environment.properties")), Is.EqualTo("b=x\\=y\npostgres.image=restoredrills/postgres\\:15\n"));
            Assert.That(JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "executor.json"))).RootElement.GetProperty("buildName").GetString(), Is.EqualTo("42"));
            var categories = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "categories.json"))).RootElement;
            var restore = categories.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Restore failure");
            Assert.That(System.Text.RegularExpressions.Regex.IsMatch(FailureCategories.Message(FailureCause.RestoreFailed, "x\ny"),
                "^" + restore.GetProperty("messageRegex").GetString() + "$"), Is.True);
            Assert.That(restore.GetProperty("matchedStatuses")[0].GetString(), Is.EqualTo("failed"));
        });
    }
}
