namespace RestoreDrills.Tests.Cnpg;

public sealed class ManifestTemplateTests
{
    [TestCase("metadata:\n  name: ${CLUSTER_NAME}\n  namespace: ${NAMESPACE}\n", "NAMESPACE", "fixtures/cnpg/t.yaml needs ${CLUSTER_NAME}: no value was given",
        TestName = "A_missing_variable_is_an_error_naming_it_and_the_template")]
    [TestCase("name: restore-${RUN}\n", "RUN", "fixtures/cnpg/t.yaml: ${RUN} must be a whole value",
        TestName = "A_placeholder_inside_a_larger_value_is_refused")]
    public void A_template_that_cannot_render_is_refused_with_the_reason(string text, string givenVariable, string reason)
    {
        var template = ManifestTemplate.FromText("t.yaml", text);
        var error = Assert.Throws<ManifestTemplateException>(() => template.Render(new Dictionary<string, string> { [givenVariable] = "x" }));
        Assert.That(error!.Message, Does.StartWith(reason));
    }

    [Test]
    public void A_value_stays_one_string_whatever_it_contains()
    {
        var hostile = "a: b\n  injected: true # \"quoted\" ${X}";
        var rendered = ManifestTemplate.FromText("t.yaml", "name: ${V}\nother: 1\n").Render(new Dictionary<string, string> { ["V"] = hostile });
        Assert.That(rendered["name"]!.GetValue<string>(), Is.EqualTo(hostile));
        Assert.That(rendered.Select(p => p.Key), Is.EquivalentTo(new[] { "name", "other" }));
    }

    [Test]
    public void Values_that_look_like_numbers_or_booleans_stay_strings()
    {
        var rendered = ManifestTemplate.FromText("t.yaml", "a: ${A}\nb: ${B}\nc: 3\nd: true\n")
            .Render(new Dictionary<string, string> { ["A"] = "1", ["B"] = "true" });
        Assert.Multiple(() =>
        {
            Assert.That(rendered["a"]!.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.String));
            Assert.That(rendered["b"]!.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.String));
            Assert.That(rendered["c"]!.GetValue<long>(), Is.EqualTo(3));
            Assert.That(rendered["d"]!.GetValue<bool>(), Is.True);
        });
    }

    [Test]
    public void Every_fixture_declares_its_variables_and_no_fixture_is_empty()
    {
        var all = ManifestTemplate.All();
        Assert.That(all, Has.Count.GreaterThanOrEqualTo(15));
        foreach (var path in all)
            Assert.That(ManifestTemplate.Load(path).Text, Does.Contain("${"), $"{path} has no placeholder: names must come from the drill");
    }

    [Test]
    public void The_scheduled_backup_runs_daily_at_one_utc_with_six_fields()
    {
        var rendered = ManifestTemplate.Load("source/scheduled-backup.yaml").Render(CnpgFixtureValues.Source);
        var schedule = rendered["spec"]!["schedule"]!.GetValue<string>();
        Assert.That(schedule, Is.EqualTo("0 0 1 * * *"));
        var cron = Cronos.CronExpression.Parse(schedule, Cronos.CronFormat.IncludeSeconds);
        Assert.That(cron.GetNextOccurrence(new DateTime(2026, 11, 25, 1, 0, 1, DateTimeKind.Utc)),
            Is.EqualTo(new DateTime(2026, 11, 26, 1, 0, 0, DateTimeKind.Utc)));
    }

    [Test]
    public void The_source_archives_with_gzip()
    {
        var cluster = SourceManifests.Render(RestoreDrills.Platforms.Cnpg.Manifests.BackupMethod.BarmanObjectStore, RestoreDrills.Platforms.Cnpg.Manifests.AzureCredentialsKind.ConnectionString, CnpgFixtureValues.Source)[0];
        var store = cluster["spec"]!["backup"]!["barmanObjectStore"]!;
        Assert.That(store["wal"]!["compression"]!.GetValue<string>(), Is.EqualTo("gzip"));
        Assert.That(store["data"]!["compression"]!.GetValue<string>(), Is.EqualTo("gzip"));
        Assert.That(store["azureCredentials"]!["connectionString"]!["name"]!.GetValue<string>(), Is.EqualTo("azure-backup-credentials"));
    }

    [TestCase(" 2026-11-25 18:34:40.620239+00", "2026-11-25T18:34:40.620239+00:00")]
    [TestCase("2026-11-25 20:34:40.5+02", "2026-11-25T18:34:40.500000+00:00")]
    [TestCase("2026-11-25T18:34:40Z", "2026-11-25T18:34:40.000000+00:00")]
    public void Time_targets_are_written_in_RFC_3339_with_an_explicit_zone(string postgres, string expected)
    {
        Assert.That(CnpgManifests.TargetTime(postgres), Is.EqualTo(expected));
    }

    [Test]
    public void A_restored_cluster_that_would_archive_is_refused()
    {
        var cluster = JsonNode.Parse("""{"spec":{"plugins":[{"name":"barman-cloud.cloudnative-pg.io","isWALArchiver":true}]}}""")!.AsObject();
        Assert.Throws<InvalidOperationException>(() => CnpgManifests.NeverArchives(cluster));
        Assert.Throws<InvalidOperationException>(() => CnpgManifests.NeverArchives(JsonNode.Parse("""{"spec":{"backup":{}}}""")!.AsObject()));
        Assert.DoesNotThrow(() => CnpgManifests.NeverArchives(JsonNode.Parse("""{"spec":{"plugins":[{"name":"x"}]}}""")!.AsObject()));
    }
}
