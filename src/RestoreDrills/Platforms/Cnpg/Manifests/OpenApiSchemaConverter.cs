using System.Text.Json.Nodes;

namespace RestoreDrills.Platforms.Cnpg.Manifests;

/// <summary>
/// Turns a CRD's structural OpenAPI v3 schema into JSON Schema (draft 2020-12) the way the API server applies it:
/// <list type="bullet">
/// <item>an object with properties rejects unknown fields (the API server's strict field validation), unless
/// x-kubernetes-preserve-unknown-fields says otherwise;</item>
/// <item>x-kubernetes-int-or-string accepts an integer or a string;</item>
/// <item>nullable adds null to the type;</item>
/// <item>other x-kubernetes-* extensions (list types, CEL validations, map types) and annotations (description,
/// default, example) are left out: they do not decide the shape of a manifest.</item>
/// </list>
/// metadata is checked by the API server itself, not by the CRD: only its being an object is kept.
/// </summary>
public static class OpenApiSchemaConverter
{
    private static readonly HashSet<string> Copied =
    [
        "type", "format", "enum", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "required",
        "multipleOf",
    ];

    public static JsonObject ToJsonSchema(JsonObject openApi)
    {
        var schema = Convert(openApi, isRoot: true);
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        return schema;
    }

    private static JsonObject Convert(JsonObject source, bool isRoot = false)
    {
        var result = new JsonObject();
        foreach (var (key, value) in source)
        {
            if (Copied.Contains(key) && value is not null) result[key] = value.DeepClone();
        }
        ConvertExclusiveBounds(result);
        if (source["x-kubernetes-int-or-string"] is JsonValue ios && ios.GetValue<bool>())
        {
            result.Remove("type");
            result["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" });
        }
        if (source["nullable"] is JsonValue nullable && nullable.GetValue<bool>() && result["type"] is JsonValue type)
            result["type"] = new JsonArray(type.GetValue<string>(), "null");
        ConvertProperties(source, result, isRoot);
        if (source["items"] is JsonObject items) result["items"] = Convert(items);
        ConvertCombinators(source, result);
        if (source["not"] is JsonObject not) result["not"] = Convert(not);
        return result;
    }

    /// <summary>OpenAPI v3.0's boolean exclusive bounds are draft 4 style: turn them into draft 2020-12 numbers.</summary>
    private static void ConvertExclusiveBounds(JsonObject result)
    {
        foreach (var (exclusive, bound) in new[] { ("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum") })
            if (result[exclusive] is JsonValue flag && flag.TryGetValue<bool>(out var on))
            {
                result.Remove(exclusive);
                if (on && result[bound] is { } limit) { result.Remove(bound); result[exclusive] = limit.DeepClone(); }
            }
    }

    /// <summary>Properties (unknown fields refused unless the schema preserves them; metadata is the API server's) and additionalProperties.</summary>
    private static void ConvertProperties(JsonObject source, JsonObject result, bool isRoot)
    {
        var preserveUnknown = source["x-kubernetes-preserve-unknown-fields"] is JsonValue p && p.GetValue<bool>();
        if (source["properties"] is JsonObject properties)
        {
            var converted = new JsonObject();
            foreach (var (name, property) in properties)
            {
                converted[name] = isRoot && name == "metadata"
                    ? new JsonObject { ["type"] = "object" }
                    : Convert((JsonObject)property!);
            }
            result["properties"] = converted;
            if (!preserveUnknown && source["additionalProperties"] is null) result["additionalProperties"] = false;
        }
        switch (source["additionalProperties"])
        {
            case JsonObject additional: result["additionalProperties"] = Convert(additional); break;
            case JsonValue allowed: result["additionalProperties"] = allowed.GetValue<bool>(); break;
        }
    }

    private static void ConvertCombinators(JsonObject source, JsonObject result)
    {
        foreach (var combinator in new[] { "anyOf", "oneOf", "allOf" })
            if (source[combinator] is JsonArray branches)
            {
                var converted = new JsonArray(branches.Select(b => (JsonNode)Convert((JsonObject)b!)).ToArray());
                if (result[combinator] is JsonArray existing) // int-or-string already set anyOf: both must hold
                    result["allOf"] = new JsonArray(new JsonObject { [combinator] = existing.DeepClone() }, new JsonObject { [combinator] = converted });
                else result[combinator] = converted;
            }
    }
}
