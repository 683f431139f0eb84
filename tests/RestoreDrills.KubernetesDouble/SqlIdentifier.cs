namespace RestoreDrills.KubernetesDouble;

/// <summary>A PostgreSQL identifier (role, database, table) quoted for SQL text, as quote_ident does for any name.</summary>
public static class SqlIdentifier
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
