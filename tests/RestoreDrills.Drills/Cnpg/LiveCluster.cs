using NUnit.Framework;
using RestoreDrills.Configuration;
using RestoreDrills.Platforms.Cnpg;
using RestoreDrills.Platforms.Cnpg.Manifests;

namespace RestoreDrills.Drills.Cnpg;

/// <summary>
/// The cluster the live CNPG drills run against, found once per run. Without one (or without the settings that
/// name the source) the drills are ignored with the reason; in a pipeline that declares a cluster
/// (RESTOREDRILLS_REQUIRE_CLUSTER=true) they fail instead, so a missing cluster never passes silently.
/// </summary>
public static class LiveCluster
{
    private static readonly Lazy<(CnpgSettings Settings, k8s.KubernetesClientConfiguration? Configuration, string Reason)> Found = new(() =>
    {
        var settings = CnpgSettings.Read(new SettingsReader(name => TestContext.Parameters.Get(name)));
        var configuration = KubernetesAccess.Detect(settings, out var description);
        if (configuration is null) return (settings, null, description);
        var missing = settings.MissingForLiveMode();
        return missing.Count > 0
            ? (settings, null, $"{description}, but {string.Join(", ", missing)} not set")
            : (settings, configuration, description);
    });

    public static CnpgSettings Settings => Found.Value.Settings;
    public static string Description => Found.Value.Reason;

    private static Task<CrdSchemas>? _schemas;

    /// <summary>
    /// The CRDs the cluster will admit the drill's manifests with, read once per run (those of
    /// RESTOREDRILLS_CNPG_CRD_DIR when the identity may not read them, said in one progress line).
    /// </summary>
    public static Task<CrdSchemas> SchemasAsync(k8s.KubernetesClientConfiguration configuration) => _schemas ??= ReadSchemasAsync(configuration);

    private static async Task<CrdSchemas> ReadSchemasAsync(k8s.KubernetesClientConfiguration configuration)
    {
        using var api = CnpgApi.Connect(configuration, Settings.Namespace);
        return await InstalledCrds.LoadAsync(api, Settings.CrdDirectory,
            line => TestContext.Progress.WriteLine($"[run {DrillRun.RunId.ToLowerInvariant()}] CNPG: {line}"), DrillRun.Token);
    }

    private static Task? _sweep;

    /// <summary>Once per run, before the first CNPG drill: the clusters a killed run left behind (restored and throwaway sources).</summary>
    public static Task SweepLeftoversOnceAsync(string runId) => _sweep ??= SweepAsync(runId);

    private static async Task SweepAsync(string runId)
    {
        if (Detect() is not { } configuration) return; // each drill reports why it does not run
        using var api = CnpgApi.Connect(configuration, Settings.Namespace);
        var s = Settings;
        var swept = await CnpgCleanup.SweepLeftoversAsync(api, runId, s.LeftoverAge, s.DeleteTimeout, s.PollInterval, DateTimeOffset.UtcNow, DrillRun.Token);
        TestContext.Progress.WriteLine($"[run {runId}] CNPG: {Description}; swept {swept.Count} leftover cluster(s) {string.Join(", ", swept)}");
    }

    /// <summary>The cluster's configuration when there is one and the settings name the source; else null.</summary>
    public static k8s.KubernetesClientConfiguration? Detect() => Found.Value.Configuration;

    /// <summary>The cluster's configuration, or ends the test: ignored locally, failed where a cluster is required.</summary>
    /// <summary>The CNPG API in the drills' namespace, through the configuration <see cref="Require"/> found.</summary>
    public static CnpgApi Connect(k8s.KubernetesClientConfiguration configuration) => CnpgApi.Connect(configuration, Settings.Namespace);

    public static k8s.KubernetesClientConfiguration Require()
    {
        if (Found.Value.Configuration is { } configuration) return configuration;
        var message = $"CNPG live drills need a Kubernetes cluster with CloudNative-PG: {Found.Value.Reason}";
        if (Settings.RequireCluster) Assert.Fail(message + " (RESTOREDRILLS_REQUIRE_CLUSTER=true)");
        Assert.Ignore(message);
        throw new InvalidOperationException("unreachable");
    }
}
