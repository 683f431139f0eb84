using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RestoreDrills.Platforms.Cnpg.Manifests;

/// <summary>
/// A YAML template from fixtures/cnpg with ${NAME} placeholders. Each placeholder is a whole scalar value and is
/// replaced by its value as a double-quoted YAML string, so no value can change the document's structure
/// (a colon, a quote or a newline in a value stays inside the string). A placeholder without a value is an
/// error naming it and the template: a manifest is never sent with a hole in it.
/// </summary>
public sealed partial class ManifestTemplate
{
    private ManifestTemplate(string relativePath, string text)
    {
        RelativePath = relativePath;
        Text = text;
    }

    /// <summary>The path under fixtures/cnpg, e.g. restore/cluster-plugin.yaml.</summary>
    public string RelativePath { get; }
    public string Text { get; }

    public IReadOnlySet<string> Variables =>
        Placeholder().Matches(Text).Select(m => m.Groups["name"].Value).ToHashSet();

    /// <summary>fixtures/cnpg in the build output (copied there, so any working folder works).</summary>
    public static string FixturesDirectory => Path.Combine(AppContext.BaseDirectory, "fixtures", "cnpg");

    public static ManifestTemplate Load(string relativePath) =>
        FromText(relativePath, File.ReadAllText(Path.Combine(FixturesDirectory, relativePath)));

    public static ManifestTemplate FromText(string relativePath, string text) => new(relativePath, text);

    /// <summary>
    /// Every template under fixtures/cnpg (relative paths, '/' separated); not rbac/, which holds plain manifests
    /// an administrator applies with kubectl.
    /// </summary>
    public static IReadOnlyList<string> All() =>
        Directory.EnumerateFiles(FixturesDirectory, "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(FixturesDirectory, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith(RbacDirectory + "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

    /// <summary>The Role, RoleBinding and ServiceAccount the drills run as (fixtures/cnpg/rbac).</summary>
    public const string RbacDirectory = "rbac";

    public string RenderYaml(IReadOnlyDictionary<string, string> variables)
    {
        var missing = Variables.Where(v => !variables.ContainsKey(v)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            throw new ManifestTemplateException(
                $"fixtures/cnpg/{RelativePath} needs {string.Join(", ", missing.Select(m => "${" + m + "}"))}: no value was given");
        return Placeholder().Replace(Text, m =>
        {
            if (!m.Groups["before"].Success || !m.Groups["after"].Success)
                throw new ManifestTemplateException(
                    $"fixtures/cnpg/{RelativePath}: ${{{m.Groups["name"].Value}}} must be a whole value (after 'key: ' or '- ', alone up to the end of the line)");
            return m.Groups["before"].Value + Quote(variables[m.Groups["name"].Value]) + m.Groups["after"].Value;
        });
    }

    public JsonObject Render(IReadOnlyDictionary<string, string> variables) =>
        YamlJson.Parse(RenderYaml(variables)) as JsonObject
        ?? throw new ManifestTemplateException($"fixtures/cnpg/{RelativePath} is not a YAML mapping");

    /// <summary>JSON string syntax is a valid YAML double-quoted scalar (YAML 1.2 is a superset of JSON).</summary>
    private static string Quote(string value) => JsonSerializer.Serialize(value);

    // A placeholder anywhere (so a misplaced one is reported, not left in); "before"/"after" match only when it is a whole value.
    [GeneratedRegex(@"(?<before>(?:: |- ))?\$\{(?<name>[A-Z][A-Z0-9_]*)\}(?<after>[ \t]*(?:#.*)?$)?", RegexOptions.Multiline)]
    private static partial Regex Placeholder();
}
