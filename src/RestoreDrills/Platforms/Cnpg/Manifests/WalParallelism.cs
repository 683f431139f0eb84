using System.Text.Json.Nodes;

namespace RestoreDrills.Platforms.Cnpg.Manifests;

/// <summary>
/// wal.maxParallel of the restored cluster's object store entry: WAL files the instance manager fetches at once.
/// The source's own spec.backup.barmanObjectStore.wal.maxParallel where it has one (a runbook's restore copies the
/// source's store configuration), else RESTOREDRILLS_WAL_MAX_PARALLEL (also when the source is not read: an image
/// given with RESTOREDRILLS_CNPG_POSTGRES_IMAGE); CNPG's own default is 1.
/// </summary>
public sealed record WalParallelism(int MaxParallel, string Origin)
{
    public static WalParallelism Of(JsonObject? sourceCluster, int setting)
    {
        var value = sourceCluster?["spec"]?["backup"]?["barmanObjectStore"]?["wal"]?["maxParallel"];
        if (value is JsonValue number && number.TryGetValue<int>(out var maxParallel) && maxParallel >= 1)
            return new WalParallelism(maxParallel, $"the source Cluster {sourceCluster!["metadata"]?["name"]}'s spec.backup.barmanObjectStore.wal.maxParallel");
        return new WalParallelism(setting, Configuration.SettingsTable.WalMaxParallel.Name);
    }

    public override string ToString() => $"{MaxParallel} ({Origin})";
}
