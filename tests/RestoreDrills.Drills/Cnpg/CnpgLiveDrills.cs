using NUnit.Framework;
using RestoreDrills.Platforms.Cnpg;
using RestoreDrills.Reporting;

namespace RestoreDrills.Drills.Cnpg;

/// <summary>
/// The drills of production backups on a real CloudNative-PG cluster (live mode): preflight, one backup for the
/// run (or the newest completed one), and one restore per target into a new cluster that is always deleted.
/// Run them alone with `dotnet test tests/RestoreDrills.Drills --settings nunit.runsettings --filter Category=Cnpg`.
/// </summary>
[TestFixture]
[Category("Cnpg")]
public sealed class CnpgLiveDrills : LiveClusterDrills
{
    private static Task<BackupStatus>? _backup;

    public static IEnumerable<TestCaseData> Drills() =>
        DrillCases.Of(CnpgDrillCatalog.Drills);

    [TestCaseSource(nameof(Drills))]
    [AllureDrill]
    public async Task Production_backup_restores_on_CloudNativePG(DrillDefinition definition)
    {
        var kind = definition.Kind!.Value;
        await DrillAsync(async (api, schemas, journal) =>
        {
            var drill = new CnpgDrill(api, LiveCluster.Settings, schemas, journal, RunId);
            // One preflight and one backup for the whole run: a nightly drill does not back production up four times.
            var backup = await (_backup ??= PreflightAndBackUpAsync(drill));
            return await drill.RestoreAsync(backup, CnpgTargets.For(kind, backup), DrillRun.Token);
        });
    }

    private static async Task<BackupStatus> PreflightAndBackUpAsync(CnpgDrill drill)
    {
        await drill.PreflightAsync(DrillRun.Token);
        return await drill.BackUpAsync(DrillRun.Token);
    }
}
