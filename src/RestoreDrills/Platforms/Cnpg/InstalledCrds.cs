namespace RestoreDrills.Platforms.Cnpg.Manifests;

/// <summary>
/// The CRDs live mode validates against: the cluster's own, which will admit the manifests whatever operator
/// version runs there. An identity without the ClusterRole that reads them falls back to the directory's copies,
/// saying so in one line, so a missing grant weakens the check visibly instead of stopping the drill.
/// </summary>
public static class InstalledCrds
{
    public static async Task<CrdSchemas> LoadAsync(CnpgApi api, string directory, Action<string> progress, CancellationToken ct)
    {
        CnpgSetupException forbidden;
        try
        {
            var installed = await CrdSchemas.FromApiAsync(api, ct);
            progress($"validating manifests against {installed.Origin}");
            return installed;
        }
        catch (CnpgSetupException e) when (CnpgApi.IsForbidden(e))
        {
            forbidden = e;
        }
        CrdSchemas copies;
        try
        {
            copies = CrdSchemas.Load(directory);
        }
        catch (CnpgSetupException notFound)
        {
            throw new CnpgSetupException($"{forbidden.Message}; and {notFound.Message}", forbidden);
        }
        progress($"the cluster's CRDs cannot be read ({forbidden.Message}): validating manifests against {copies.Origin} instead");
        return copies;
    }
}
