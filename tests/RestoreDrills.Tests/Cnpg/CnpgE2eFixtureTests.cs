namespace RestoreDrills.Tests.Cnpg;

/// <summary>
/// CloudNative-PG's own e2e fixtures (tests/e2e/fixtures of cloudnative-pg/cloudnative-pg, *.yaml and *.yaml.template),
/// which its e2e suite applies to real clusters, all validate: the reader and the CRD validator agree with the API
/// server on manifests the project did not write. They are not in this repository: set
/// RESTOREDRILLS_CNPG_E2E_FIXTURES to a directory holding them, else the test is skipped.
/// </summary>
public sealed class CnpgE2eFixtureTests
{
    private static readonly Setting Setting = SettingsTable.CnpgE2eFixtures;

    [Test]
    public void CloudNativePGs_e2e_fixtures_validate()
    {
        var directory = new SettingsReader(name => TestContext.Parameters.Get(name)).Raw(Setting);
        if (directory is null) Assert.Ignore($"{Setting} is not set: point it at a copy of cloudnative-pg's tests/e2e/fixtures");
        Assert.That(Directory.Exists(directory), Is.True, $"{Setting}={directory} does not exist");

        var schemas = CnpgCrds.Loaded.Value;
        var kinds = schemas.Kinds.ToHashSet();
        var (validated, otherKinds) = (0, 0);
        var problems = new List<string>();
        foreach (var file in Directory.EnumerateFiles(directory!, "*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yaml.template", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            foreach (var manifest in YamlJson.ParseAll(File.ReadAllText(file)).OfType<JsonObject>())
            {
                var kind = (manifest["apiVersion"]?.GetValue<string>() ?? "", manifest["kind"]?.GetValue<string>() ?? "");
                if (!kinds.Contains(kind))
                {
                    otherKinds++; // Secrets, ConfigMaps, Poolers...: no CRD of the drill's to check them against
                    continue;
                }
                validated++;
                var found = schemas.Problems(manifest);
                if (found.Count > 0) problems.Add($"{Path.GetRelativePath(directory!, file)} {kind.Item2} {manifest["metadata"]?["name"]}: {string.Join("; ", found)}");
            }
        }
        TestContext.Out.WriteLine($"{validated} documents of a CRD's kind, {validated - problems.Count} valid, {problems.Count} rejected; {otherKinds} of other kinds skipped");
        Assert.That(validated, Is.GreaterThan(0), $"no Cluster, Backup or ScheduledBackup under {directory}");
        Assert.That(problems, Is.Empty);
    }
}
