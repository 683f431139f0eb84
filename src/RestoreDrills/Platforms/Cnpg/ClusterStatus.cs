using System.Text.Json.Nodes;

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
            (int)(cluster["spec"]?["instances"]?.GetValue<long>() ?? 1),
            (int)(status?["readyInstances"]?.GetValue<long>() ?? 0),
            conditions);
    }
}
