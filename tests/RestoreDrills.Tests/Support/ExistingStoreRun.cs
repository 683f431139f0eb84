namespace RestoreDrills.Tests.Support;

/// <summary>The existing-store drill on a server of the run's store (Azurite), as its settings would name it, and its verdict.</summary>
public static class ExistingStoreRun
{
    public static DrillJournal Journal(string name) => new(ContainersRun.Scratch, TextWriter.Null, name);

    public static ExistingStoreSettings Settings(string server, Dictionary<string, string>? overrides = null)
    {
        var store = ContainersRun.Platform.Store;
        var values = new Dictionary<string, string>
        {
            ["RESTOREDRILLS_STORE_URL"] = store.DestinationPath,
            ["RESTOREDRILLS_STORE_URL_FROM_HOST"] = store.HostDestinationPath,
            ["RESTOREDRILLS_SERVER_NAME"] = server,
            ["RESTOREDRILLS_STORE_CONNECTION_STRING"] = store.NetworkConnectionString,
        };
        foreach (var (k, v) in overrides ?? []) values[k] = v;
        if (values.ContainsKey("RESTOREDRILLS_STORE_SAS_TOKEN")) values.Remove("RESTOREDRILLS_STORE_CONNECTION_STRING");
        return ExistingStoreSettings.Read(new SettingsReader(n => values.GetValueOrDefault(n), _ => null), ContainersRun.Platform.Settings.PostgresImage);
    }

    /// <summary>Runs the drill; <paramref name="whileRestored"/> reads the restored server before it is removed.</summary>
    public static async Task<(DrillOutcome? Outcome, DrillFailure? Failure, bool Restored)> DrillAsync(ExistingStoreSettings settings,
        Func<RestoredInstance, Task>? whileRestored = null)
    {
        await using var drill = new ExistingStoreDrill(ContainersRun.Platform, settings, Journal(settings.ServerName));
        try
        {
            var outcome = await drill.RunAsync(CancellationToken.None);
            if (whileRestored is not null) await whileRestored(drill.Restored!);
            return (outcome, null, drill.Restored is not null);
        }
        catch (DrillFailure failure)
        {
            return (null, failure, drill.Restored is not null);
        }
    }
}
