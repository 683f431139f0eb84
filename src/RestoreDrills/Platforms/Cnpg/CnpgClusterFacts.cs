using System.Text.Json.Nodes;
using RestoreDrills.Reporting;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// What the live drills ran against, for the report's environment and the certificate: the source Cluster, its image,
/// and the operator build that manages it (status.cloudNativePGCommitHash, as the operator writes it).
/// </summary>
public static class CnpgClusterFacts
{
    public static void Record(JsonObject cluster, string @namespace)
    {
        var name = cluster["metadata"]?["name"]?.GetValue<string>() ?? "?";
        RunFacts.Record("cnpg.cluster", $"{@namespace}/{name}");
        if ((cluster["status"]?["image"] ?? cluster["spec"]?["imageName"])?.GetValue<string>() is { Length: > 0 } image)
            RunFacts.Record("cnpg.cluster.image", image);
        if (cluster["status"]?["cloudNativePGCommitHash"]?.GetValue<string>() is { Length: > 0 } commit)
            RunFacts.Record("cnpg.operator.commit", commit);
    }
}
