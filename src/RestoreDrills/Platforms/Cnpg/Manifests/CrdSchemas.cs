using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using RestoreDrills.Failures;

namespace RestoreDrills.Platforms.Cnpg.Manifests;

/// <summary>
/// The CloudNative-PG CRDs, each served version's openAPIV3Schema turned into JSON Schema, by apiVersion and kind:
/// in live mode the cluster's own (the ones that will admit the manifests), else the official copies in
/// RESTOREDRILLS_CNPG_CRD_DIR (../shared/cnpg-crds beside the repository: unmodified, never copied in).
/// </summary>
public sealed class CrdSchemas
{
    private readonly Dictionary<(string ApiVersion, string Kind), (JsonSchema Schema, JsonObject Source)> _schemas;

    private CrdSchemas(string origin, IReadOnlyDictionary<string, JsonObject> definitions, Dictionary<(string, string), (JsonSchema, JsonObject)> schemas) =>
        (Origin, Definitions, _schemas) = (origin, definitions, schemas);

    /// <summary>Where the shared CRDs are: ../shared/cnpg-crds relative to the repository root.</summary>
    public static string DefaultDirectory => Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "cnpg-crds"));

    /// <summary>Where these schemas come from, for the report: the cluster or a directory.</summary>
    public string Origin { get; }

    /// <summary>The CustomResourceDefinitions as read, by name (clusters.postgresql.cnpg.io).</summary>
    public IReadOnlyDictionary<string, JsonObject> Definitions { get; }

    public IEnumerable<(string ApiVersion, string Kind)> Kinds => _schemas.Keys;

    /// <summary>The one line a run without CRDs fails with: where they come from.</summary>
    public static string NotFound(string directory) =>
        $"CNPG CRDs not found in {directory} ({Configuration.SettingsTable.CnpgCrdDirectory}): download them from the CloudNative-PG release matching your operator " +
        "(https://github.com/cloudnative-pg/cloudnative-pg/releases, cnpg-<version>.yaml) or, in live mode, they are read from the cluster";

    /// <summary>Every CustomResourceDefinition in the directory's YAML files (a release's cnpg-&lt;version&gt;.yaml will do).</summary>
    public static CrdSchemas Load(string directory)
    {
        var definitions = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory)
                .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .SelectMany(f => YamlJson.ParseAll(File.ReadAllText(f)))
                .OfType<JsonObject>()
                .Where(d => d["kind"]?.GetValue<string>() == "CustomResourceDefinition")
                .ToList()
            : [];
        if (definitions.Count == 0) throw new CnpgSetupException(NotFound(directory));
        return FromDefinitions($"the CRDs in {directory}", definitions);
    }

    /// <summary>Schemas from CustomResourceDefinition objects; <paramref name="origin"/> names where they came from in errors.</summary>
    public static CrdSchemas FromDefinitions(string origin, IEnumerable<JsonObject> definitions)
    {
        var byName = new Dictionary<string, JsonObject>();
        var schemas = new Dictionary<(string, string), (JsonSchema, JsonObject)>();
        foreach (var definition in definitions)
        {
            var spec = definition["spec"]!;
            var group = spec["group"]!.GetValue<string>();
            var kind = spec["names"]!["kind"]!.GetValue<string>();
            var crdName = definition["metadata"]?["name"]?.GetValue<string>() ?? $"{spec["names"]!["plural"]!.GetValue<string>()}.{group}";
            byName[crdName] = definition;
            // A version the API server does not serve admits nothing.
            foreach (var version in spec["versions"]!.AsArray().OfType<JsonObject>().Where(v => v["served"]?.GetValue<bool>() != false))
            {
                var name = version["name"]!.GetValue<string>();
                var openApi = version["schema"]?["openAPIV3Schema"] as JsonObject
                              ?? throw new InvalidDataException($"{crdName} {name}: no openAPIV3Schema");
                var jsonSchema = OpenApiSchemaConverter.ToJsonSchema(openApi);
                var baseUri = new Uri($"https://restoredrills.invalid/crds/{group}/{name}/{kind}");
                var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
                using var parsed = JsonDocument.Parse(jsonSchema.ToJsonString());
                schemas[($"{group}/{name}", kind)] = (JsonSchema.Build(parsed.RootElement.Clone(), options, baseUri), jsonSchema);
            }
        }
        return new CrdSchemas(origin, byName, schemas);
    }

    /// <summary>The problems of a manifest, one readable line each ("/spec/instances: ..."); empty when valid.</summary>
    public IReadOnlyList<string> Problems(JsonObject manifest)
    {
        var apiVersion = manifest["apiVersion"]?.GetValue<string>() ?? "";
        var kind = manifest["kind"]?.GetValue<string>() ?? "";
        if (!_schemas.TryGetValue((apiVersion, kind), out var entry))
            return [$"no CRD for apiVersion '{apiVersion}' kind '{kind}' (known: {string.Join(", ", _schemas.Keys.Select(k => $"{k.ApiVersion} {k.Kind}"))})"];
        var metadata = new List<string>();
        if (string.IsNullOrEmpty(manifest["metadata"]?["name"]?.GetValue<string>())) metadata.Add("/metadata/name: required");

        using var instance = JsonDocument.Parse(manifest.ToJsonString());
        var result = entry.Schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return metadata;
        return
        [
            .. metadata,
            .. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{Location(d.InstanceLocation.ToString())}: {Describe(e.Key, e.Value, d, entry.Source)}"))
                .Distinct(),
        ];
    }

    /// <summary>Throws when the manifest does not validate, listing every problem.</summary>
    public void Validate(JsonObject manifest, string what)
    {
        var problems = Problems(manifest);
        if (problems.Count > 0)
            throw new ManifestInvalidException($"{what} does not validate against the CloudNative-PG CRD: {string.Join("; ", problems)}");
    }

    private static string Location(string pointer) => pointer.Length == 0 ? "/" : pointer;

    /// <summary>Says what the API server would: an unknown field by name, an enum with its allowed values.</summary>
    private static string Describe(string keyword, string message, EvaluationResults detail, JsonObject schema)
    {
        var path = detail.EvaluationPath.ToString();
        if (path.EndsWith("/additionalProperties", StringComparison.Ordinal)) return "unknown field (the CRD has no such property here)";
        if (keyword == "enum" && (SchemaAt(schema, path) is JsonObject { } at ? at["enum"] : SchemaAt(schema, path)) is JsonArray allowed)
            return $"must be one of {string.Join(", ", allowed.Select(a => a?.ToJsonString()))} (enum)";
        return $"{message} ({keyword})";
    }

    private static JsonNode? SchemaAt(JsonNode? node, string pointer)
    {
        foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject o => o[name],
                JsonArray a when int.TryParse(name, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }
        return node;
    }
}
