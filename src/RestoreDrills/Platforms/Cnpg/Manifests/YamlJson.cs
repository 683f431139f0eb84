using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RestoreDrills.Platforms.Cnpg.Manifests;

/// <summary>
/// YAML documents as JSON trees, read as the Kubernetes tooling reads them (kubectl, the API server): plain scalars
/// take YAML 1.1's types as go-yaml v2 resolves them (<see cref="PlainScalars"/>: `on` is true, `0755` is 493);
/// quoted and block scalars, and those tagged !!str, stay strings, so "0 0 1 * * *", "1" or "on" never turn into
/// something else.
/// </summary>
public static class YamlJson
{
    private const string StringTag = "tag:yaml.org,2002:str";

    public static IReadOnlyList<JsonNode?> ParseAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => Convert(d.RootNode)).ToList();
    }

    public static JsonNode? Parse(string yaml) =>
        ParseAll(yaml) is [var single] ? single : throw new FormatException("expected exactly one YAML document");

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(Key(c.Key), Convert(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => IsPlain(scalar) ? PlainScalars.Resolve(scalar.Value ?? "") : JsonValue.Create(scalar.Value ?? ""),
        _ => throw new FormatException($"unsupported YAML node at {node.Start}"),
    };

    private static string Key(YamlNode key) => key switch
    {
        YamlScalarNode scalar when IsPlain(scalar) => PlainScalars.Key(scalar.Value ?? ""),
        YamlScalarNode scalar => scalar.Value ?? "",
        _ => throw new FormatException($"a mapping key at {key.Start} is not a scalar, which JSON cannot name"),
    };

    private static bool IsPlain(YamlScalarNode scalar) => scalar.Style == ScalarStyle.Plain && (scalar.Tag.IsEmpty || scalar.Tag.Value != StringTag);
}
