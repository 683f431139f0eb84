using System.Text.Json.Nodes;
using RestoreDrills.Platforms.Cnpg.Manifests;

namespace RestoreDrills.KubernetesDouble;

/// <summary>
/// A Role's (or ClusterRole's) rules as the API server's RBAC authorizer reads them: a request is allowed when one
/// rule lists its API group, its resource (with "/subresource") and its verb, and, when the rule lists
/// resourceNames, the object's name. Also records every grant a request was allowed by, so a test can show that no
/// rule grants more than the drills use.
/// </summary>
public sealed class RoleRules
{
    private readonly IReadOnlyList<(string Group, string Resource, string Verb)> _grants;
    /// <summary>The grants limited to named objects (a grant also given without resourceNames is not limited).</summary>
    private readonly IReadOnlyDictionary<(string Group, string Resource, string Verb), IReadOnlySet<string>> _names;

    public RoleRules(IEnumerable<(string Group, string Resource, string Verb)> grants,
        IReadOnlyDictionary<(string Group, string Resource, string Verb), IReadOnlySet<string>>? names = null)
    {
        _grants = [.. grants.Distinct()];
        _names = names ?? new Dictionary<(string, string, string), IReadOnlySet<string>>();
    }

    public IReadOnlyList<(string Group, string Resource, string Verb)> Grants => _grants;

    /// <summary>The Role the project ships (fixtures/cnpg/rbac/role.yaml), the one the nightly drills run with.</summary>
    public static RoleRules Shipped() => FromRole(File.ReadAllText(Path.Combine(ManifestTemplate.FixturesDirectory, ManifestTemplate.RbacDirectory, "role.yaml")));

    /// <summary>The ClusterRole the project ships for reading the CRDs (fixtures/cnpg/rbac/clusterrole-crds.yaml).</summary>
    public static RoleRules ShippedClusterRole() =>
        FromRole(File.ReadAllText(Path.Combine(ManifestTemplate.FixturesDirectory, ManifestTemplate.RbacDirectory, "clusterrole-crds.yaml")));

    public static RoleRules FromRole(string yaml)
    {
        var role = YamlJson.Parse(yaml) as JsonObject ?? throw new InvalidDataException("the Role is not a YAML mapping");
        var rules =
            from rule in role["rules"]!.AsArray().OfType<JsonObject>()
            from g in Strings(rule["apiGroups"])
            from r in Strings(rule["resources"])
            from v in Strings(rule["verbs"])
            select (Grant: (g, r, v), Names: Strings(rule["resourceNames"]).ToList());
        var all = rules.ToList();
        var names = all.GroupBy(x => x.Grant)
            .Where(same => same.All(x => x.Names.Count > 0))
            .ToDictionary(same => same.Key, same => (IReadOnlySet<string>)same.SelectMany(x => x.Names).ToHashSet());
        return new RoleRules(all.Select(x => x.Grant), names);
    }

    /// <summary>Whether a request is allowed; <paramref name="name"/> is the object's, null for a list or a create.</summary>
    public bool Allows(string group, string resource, string verb, string? name = null) =>
        _grants.Any(g => g.Group == group && g.Resource == resource && (g.Verb == verb || g.Verb == "*")
                         && (!_names.TryGetValue(g, out var only) || name is not null && only.Contains(name)));

    /// <summary>The objects a grant is limited to; empty when it is not limited.</summary>
    public IReadOnlySet<string> ResourceNames(string group, string resource, string verb) =>
        _names.TryGetValue((group, resource, verb), out var only) ? only : new HashSet<string>();

    public RoleRules Without(string group, string resource, string verb) =>
        new(_grants.Where(g => !(g.Group == group && g.Resource == resource && g.Verb == verb)), _names);

    private static IEnumerable<string> Strings(JsonNode? node) => node is JsonArray a ? a.Select(n => n!.GetValue<string>()) : [];
}
