namespace RestoreDrills.Tests.Cnpg;

/// <summary>
/// The CRDs the CNPG tests validate against and the double serves (RESTOREDRILLS_CNPG_CRD_DIR, by default
/// ../shared/cnpg-crds), loaded once before the namespace's tests: without them the namespace fails at set-up with
/// the one line saying where to get them, instead of one stack trace per test.
/// </summary>
[SetUpFixture]
public sealed class CnpgCrds
{
    /// <summary>The CRDs; throws the one-line <see cref="CnpgSetupException"/> to a test outside this namespace.</summary>
    public static Lazy<CrdSchemas> Loaded { get; } = new(() => CrdSchemas.Load(CrdDirectory));

    public static string CrdDirectory => CnpgSettings.ReadCrdDirectory(new SettingsReader(name => TestContext.Parameters.Get(name)));

    [OneTimeSetUp]
    public void Load()
    {
        try
        {
            _ = Loaded.Value;
        }
        catch (CnpgSetupException e)
        {
            Assert.Fail(e.Message);
        }
    }
}
