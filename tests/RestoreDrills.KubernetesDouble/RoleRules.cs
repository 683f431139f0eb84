using System.Text.Json.Nodes;
using RestoreDrills.Platforms.Cnpg.Manifests;

namespace RestoreDrills.KubernetesDouble;

/// <summary>
/// A Role's rules as the API server's RBAC authorizer reads them: a request is allowed when one rule lists its API
/// group, its resource (with "/subresource") and its verb. Also records every grant a request was allowed by, so a
/// test can show that no rule grants more than the drills use.
/// </summary>
public sealed class RoleRules
{
    private readonly IReadOnlyList<(string Group, string Resource, string Verb)> _grants;

    public RoleRules(IEnumerable<(string Group, string Resource, string Verb)> grants) => _grants = [.. grants.Distinct()];

    public IReadOnlyList<(string Group, string Resource, string Verb)> Grants => _grants;

    /// <summary>The Role the project ships (fixtures/cnpg/rbac/role.yaml), the one the nightly drills run with.</summary>
    public static RoleRules Shipped() => FromRole(File.ReadAllText(Path.Combine(ManifestTemplate.FixturesDirectory, ManifestTemplate.RbacDirectory, "role.yaml")));

    public static RoleRules FromRole(string yaml)
    {
        var role = YamlJson.Parse(yaml) as JsonObject ?? throw new InvalidDataException("the Role is not a YAML mapping");
        var grants =
            from rule in role["rules"]!.AsArray().OfType<JsonObject>()
            from g in Strings(rule["apiGroups"])
            from r in Strings(rule["resources"])
            from v in Strings(rule["verbs"])
            select (g, r, v);
        return new RoleRules(grants);
    }

    public bool Allows(string group, string resource, string verb) =>
        _grants.Any(g => g.Group == group && g.Resource == resource && (g.Verb == verb || g.Verb == "*"));

    public RoleRules Without(string group, string resource, string verb) =>
        new(_grants.Where(g => !(g.Group == group && g.Resource == resource && g.Verb == verb)));

    private static IEnumerable<string> Strings(JsonNode? node) => node is JsonArray a ? a.Select(n => n!.GetValue<string>()) : [];
}
