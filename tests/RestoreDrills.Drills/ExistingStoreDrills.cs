using NUnit.Framework;
using RestoreDrills.Configuration;
using RestoreDrills.Drills;
using RestoreDrills.Failures;
using RestoreDrills.Reporting;

namespace RestoreDrills.Drills.Containers;

/// <summary>
/// The drill of an existing backup store (a real Azure account or Azurite), read-only:
/// inspect → choose backup and target → restore into a throwaway container → verify → report.
/// Runs only when asked (./scripts/drill --existing-store), with the RESTOREDRILLS_STORE_* settings.
/// </summary>
[TestFixture]
[Category("ExistingStore")]
public sealed class ExistingStoreDrills
{
    public static IEnumerable<TestCaseData> Drills()
    {
        StoreTarget? target = null;
        try
        {
            target = StoreTarget.Parse(Reader.String(SettingsTable.StoreTarget));
        }
        catch (InvalidSettingException)
        {
            // reported by the drill itself, with the fix
        }
        var drill = DrillCatalog.ExistingStore(target?.Kind);
        yield return new TestCaseData(drill).SetName($"{drill.Id} {drill.Title}").SetDescription(drill.Proves);
    }

    private static SettingsReader Reader => new(name => TestContext.Parameters.Get(name));

    [TestCaseSource(nameof(Drills))]
    [AllureDrill]
    public async Task Existing_backups_restore_and_hold_what_is_expected(DrillDefinition definition)
    {
        var journal = AllureDrillAttribute.Journal;
        var settings = ExistingStoreSettings.Read(Reader, DrillRun.Settings.PostgresImage, DrillRun.Settings.PostgresMajor);
        await using var drill = new ExistingStoreDrill(DrillRun.Platform, settings, journal);

        var outcome = await DrillVerdict.RunAsync(() => drill.RunAsync(DrillRun.Token));
        DrillVerdict.AssertPassed(outcome.Checks, journal);
    }
}
