namespace RestoreDrills.KubernetesDouble;

/// <summary>
/// A real PostgreSQL the double stands in front of, as a restored cluster's primary pod: where its port 5432 is
/// reached (a loopback port published by Docker) and the superuser the "operator" configures it with.
/// </summary>
public sealed record PostgresEndpoint(string Host, int Port, string Superuser, string SuperuserPassword)
{
    public string ConnectionString(string database) =>
        $"Host={Host};Port={Port};Database={database};Username={Superuser};Password={SuperuserPassword};Pooling=false;Timeout=15";
}
