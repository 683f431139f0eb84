using System.Text.Json.Nodes;
using RestoreDrills.Platforms.Cnpg.Manifests;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>What a Cluster CR says of itself: phase, instances ready, and its conditions (type → status, message).</summary>
public sealed record ClusterStatus(string Phase, int Instances, int ReadyInstances, IReadOnlyDictionary<string, (string Status, string Message)> Conditions)
{
    public const string Ready = "Ready";
    public const string ContinuousArchiving = "ContinuousArchiving";

    /// <summary>Ready as the operator means it: the Ready condition true, the healthy phase, every instance ready.</summary>
    public bool IsReady => ConditionTrue(Ready) && Phase == CnpgResources.HealthyPhase && ReadyInstances >= Instances;

    public bool ConditionTrue(string type) => Conditions.TryGetValue(type, out var c) && c.Status == "True";

    public string Describe(string type) =>
        Conditions.TryGetValue(type, out var c) ? $"{type}={c.Status}{(c.Message.Length > 0 ? $" ({c.Message})" : "")}" : $"{type} not reported";

    public static ClusterStatus From(JsonObject cluster)
    {
        var status = cluster["status"];
        var conditions = new Dictionary<string, (string, string)>();
        if (status?["conditions"] is JsonArray list)
            foreach (var c in list.OfType<JsonObject>())
                conditions[c["type"]?.GetValue<string>() ?? ""] = (c["status"]?.GetValue<string>() ?? "", c["message"]?.GetValue<string>() ?? "");
        return new ClusterStatus(
            status?["phase"]?.GetValue<string>() ?? "",
            Integer(cluster["spec"]?["instances"]) ?? 1,
            Integer(status?["readyInstances"]) ?? 0,
            conditions);
    }

    /// <summary>An integer however it was made (parsed from the API's JSON, or built in memory).</summary>
    private static int? Integer(JsonNode? node) =>
        node is JsonValue v && int.TryParse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : null;
}
