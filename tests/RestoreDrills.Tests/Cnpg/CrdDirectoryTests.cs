namespace RestoreDrills.Tests.Cnpg;

/// <summary>The CRD directory (RESTOREDRILLS_CNPG_CRD_DIR): what it may hold, and the one line when it holds nothing.</summary>
public sealed class CrdDirectoryTests
{
    private string _directory = null!;

    [SetUp]
    public void MakeDirectory() => _directory = Path.Combine(Path.GetTempPath(), "restoredrills-crds-" + Guid.NewGuid().ToString("N")[..8]);

    [TearDown]
    public void RemoveDirectory()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public void A_missing_directory_is_one_line_saying_where_to_get_the_CRDs()
    {
        var settings = CnpgSettingsTests.Read(new() { [SettingsTable.CnpgCrdDirectory.Name] = _directory });
        var error = Assert.Throws<CnpgSetupException>(() => CrdSchemas.Load(settings.CrdDirectory));
        Assert.That(error!.Message, Is.EqualTo(
            $"CNPG CRDs not found in {_directory} (RESTOREDRILLS_CNPG_CRD_DIR): download them from the CloudNative-PG release matching your " +
            "operator (https://github.com/cloudnative-pg/cloudnative-pg/releases, cnpg-<version>.yaml) or, in live mode, they are read from the cluster"));
    }

    [Test]
    public void A_directory_without_a_CustomResourceDefinition_is_the_same_line()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "README.md"), "# CRDs go here\n");
        File.WriteAllText(Path.Combine(_directory, "configmap.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
        var error = Assert.Throws<CnpgSetupException>(() => CrdSchemas.Load(_directory));
        Assert.That(error!.Message, Is.EqualTo(CrdSchemas.NotFound(_directory)));
    }

    [Test]
    public void A_release_manifest_of_many_documents_gives_its_CRDs()
    {
        Directory.CreateDirectory(_directory);
        var backups = File.ReadAllText(Path.Combine(CnpgCrds.CrdDirectory, "postgresql.cnpg.io_backups.yaml"));
        File.WriteAllText(Path.Combine(_directory, "cnpg-1.30.0.yaml"),
            $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cnpg-system\n---\n{backups.TrimStart('-', '\n')}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: cnpg-manager\n");
        var schemas = CrdSchemas.Load(_directory);
        Assert.That(schemas.Kinds, Is.EquivalentTo(new[] { ("postgresql.cnpg.io/v1", "Backup") }));
        Assert.That(schemas.Definitions.Keys, Is.EquivalentTo(new[] { "backups.postgresql.cnpg.io" }));
        Assert.That(schemas.Origin, Is.EqualTo($"the CRDs in {_directory}"));
    }
}
