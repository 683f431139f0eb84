namespace RestoreDrills.Tests.Configuration;

public sealed class SettingsReaderTests
{
    private static readonly Setting X = new("X", "1", SettingUnit.Count, SettingScope.RunSettings, "a test setting");

    private static SettingsReader Reader(Dictionary<string, string> runSettings, Dictionary<string, string>? env = null) =>
        new(n => runSettings.GetValueOrDefault(n), n => env?.GetValueOrDefault(n));

    [Test]
    public void Environment_wins_over_runsettings_which_wins_over_the_default()
    {
        var both = Reader(new() { ["X"] = "10" }, new() { ["X"] = "20" });
        var runOnly = Reader(new() { ["X"] = "10" });
        var none = Reader([]);
        Assert.Multiple(() =>
        {
            Assert.That(both.Int(X), Is.EqualTo(20));
            Assert.That(runOnly.Int(X), Is.EqualTo(10));
            Assert.That(none.Int(X), Is.EqualTo(1));
        });
    }

    [Test]
    public void An_empty_value_means_not_set()
    {
        Assert.That(Reader(new() { ["RESTOREDRILLS_CNPG_DATABASE"] = "  " }).String(SettingsTable.CnpgDatabase), Is.EqualTo("app"));
    }

    /// <summary>Failed before: "$(RESTOREDRILLS_STORE_URL)" was read as a store address.</summary>
    [Test]
    public void An_azure_variable_nobody_defined_arrives_as_its_own_name_and_counts_as_unset()
    {
        var env = new Dictionary<string, string> { ["RESTOREDRILLS_STORE_URL"] = "$(RESTOREDRILLS_STORE_URL)", ["RESTOREDRILLS_CNPG_DATABASE"] = "$(RESTOREDRILLS_CNPG_DATABASE)" };
        var reader = Reader(new() { ["RESTOREDRILLS_CNPG_DATABASE"] = "linkding" }, env);
        var e = Assert.Throws<InvalidSettingException>(() => ExistingStoreSettings.Read(reader, "restoredrills/postgres:15"));
        Assert.Multiple(() =>
        {
            Assert.That(reader.Raw(SettingsTable.CnpgDatabase), Is.EqualTo("linkding"), "the runsettings value, not the literal");
            Assert.That(e!.Message, Does.StartWith("RESTOREDRILLS_STORE_URL is not set (it arrived as the literal '$(RESTOREDRILLS_STORE_URL)': Azure Pipelines passes"));
            Assert.That(Reader([], new() { ["X"] = "$(OTHER)" }).Raw(X), Is.EqualTo("$(OTHER)"), "another variable's macro is a value someone wrote");
        });
    }

    [TestCase("abc")]
    [TestCase("-5")]
    [TestCase("0")]
    public void A_malformed_number_of_seconds_names_the_setting_and_the_fix(string raw)
    {
        var e = Assert.Throws<InvalidSettingException>(() => Reader(new() { ["RESTOREDRILLS_BUDGET_RTO_SECONDS"] = raw })
            .Duration(SettingsTable.BudgetRto));
        Assert.That(e!.Message, Does.Contain("RESTOREDRILLS_BUDGET_RTO_SECONDS").And.Contain($"'{raw}'").And.Contain("e.g. 300"));
    }

    [Test]
    public void Drill_settings_fail_before_any_work_on_a_bad_seed_row_count()
    {
        var e = Assert.Throws<InvalidSettingException>(() =>
            DrillSettings.Read(Reader(new() { ["RESTOREDRILLS_SEED_ROWS"] = "5" }), "/tmp/results"));
        Assert.That(e!.Message, Does.StartWith("RESTOREDRILLS_SEED_ROWS='5'"));
    }

    [Test]
    public void Drill_settings_read_budgets_and_timeouts_by_name()
    {
        var settings = DrillSettings.Read(Reader(new()
        {
            ["RESTOREDRILLS_BUDGET_RTO_SECONDS"] = "42.5", ["RESTOREDRILLS_TIMEOUT_RECOVERY_SECONDS"] = "7",
        }), "/tmp/results");
        Assert.Multiple(() =>
        {
            Assert.That(settings.Budgets.Rto, Is.EqualTo(TimeSpan.FromSeconds(42.5)));
            Assert.That(settings.Timeouts.RecoveryEnds, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(settings.ResultsDirectory, Is.EqualTo("/tmp/results"));
        });
    }
}
