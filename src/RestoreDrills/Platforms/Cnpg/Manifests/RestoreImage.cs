using System.Text.Json.Nodes;

namespace RestoreDrills.Platforms.Cnpg.Manifests;

/// <summary>
/// Which PostgreSQL image the restored cluster runs: a named image (spec.imageName), an image catalog entry
/// (spec.imageCatalogRef), or the operator's default (neither), as the source Cluster has it unless a setting
/// names one. A restore must run the major version that wrote the backup.
/// </summary>
public sealed record RestoreImage(string? Name, JsonObject? CatalogRef, string Origin)
{
    public static RestoreImage Named(string image, string origin) => new(image, null, origin);

    /// <summary>The source Cluster's own choice: spec.imageName, else spec.imageCatalogRef, else the operator's default.</summary>
    public static RestoreImage OfSource(JsonObject sourceCluster)
    {
        var name = sourceCluster["metadata"]?["name"]?.GetValue<string>();
        var spec = sourceCluster["spec"];
        if (spec?["imageName"]?.GetValue<string>() is { Length: > 0 } image) return Named(image, $"the source Cluster {name}'s spec.imageName");
        if (spec?["imageCatalogRef"] is JsonObject catalog)
            return new RestoreImage(null, catalog.DeepClone().AsObject(), $"the source Cluster {name}'s spec.imageCatalogRef");
        return new RestoreImage(null, null, $"the operator's default image (the source Cluster {name} names none)");
    }

    public void ApplyTo(JsonObject spec)
    {
        spec.Remove("imageName");
        if (Name is not null) spec["imageName"] = Name;
        if (CatalogRef is not null) spec["imageCatalogRef"] = CatalogRef.DeepClone();
    }

    public override string ToString() => (Name ?? CatalogRef?.ToJsonString() ?? "default") + $" ({Origin})";
}
