using System.Text;
using k8s.Models;
using RestoreDrills.Failures;
using RestoreDrills.Secrets;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// How to reach the restored cluster as one of its users, read from a secret the operator makes
/// (&lt;cluster&gt;-app, &lt;cluster&gt;-superuser). The host it names is the -rw service, which resolves only inside
/// the cluster: from outside, <see cref="Via"/> a port-forward. The password is registered with <see cref="SecretMasker"/> the moment it is read.
/// </summary>
public sealed record CnpgConnection(string Host, int Port, string Database, string Username, string Password)
{
    public static CnpgConnection FromSecret(V1Secret secret)
    {
        string Field(string key) => secret.Data is not null && secret.Data.TryGetValue(key, out var v)
            ? Encoding.UTF8.GetString(v)
            : throw new CnpgSetupException($"secret {secret.Metadata?.Name} has no '{key}'");
        var password = Field("password");
        if (password.Length >= 6) SecretMasker.Register(password);
        if (secret.Data!.TryGetValue("uri", out var uri)) SecretMasker.Register(Encoding.UTF8.GetString(uri));
        if (secret.Data.TryGetValue("jdbc-uri", out var jdbc)) SecretMasker.Register(Encoding.UTF8.GetString(jdbc));
        var port = secret.Data.ContainsKey("port") && int.TryParse(Field("port"), out var p) ? p : 5432;
        var host = secret.Data.ContainsKey("host") ? Field("host") : "";
        return new CnpgConnection(host, port, Field("dbname"), Field("username"), password);
    }

    /// <summary>The same user and database through another endpoint (a port-forward to the primary pod).</summary>
    public CnpgConnection Via(System.Net.IPEndPoint endpoint) => this with { Host = endpoint.Address.ToString(), Port = endpoint.Port };

    /// <summary>An Npgsql connection string (secret: never written anywhere).</summary>
    public string ConnectionString => $"Host={Host};Port={Port};Database={Database};Username={Username};Password={Password}";

    /// <summary>Through a port-forward a connection takes a tunnel's set-up more than a direct one.</summary>
    public static readonly int ConnectTimeoutSeconds = Configuration.SettingsTable.CnpgConnectTimeout.DefaultWholeSeconds;
    /// <summary>A count(*) or amcheck over a large table takes longer than Npgsql's 30 s default: not a dead server.</summary>
    public static readonly int CommandTimeoutSeconds = Configuration.SettingsTable.VerificationQuery.DefaultWholeSeconds;

    /// <summary>A new open connection, unpooled: each one through a port-forward is its own tunnel, closed with it.</summary>
    public async Task<Npgsql.NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, Timeout = ConnectTimeoutSeconds, CommandTimeout = CommandTimeoutSeconds };
        var db = new Npgsql.NpgsqlConnection(builder.ConnectionString);
        try
        {
            await db.OpenAsync(ct);
            return db;
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    public override string ToString() => $"{Username}@{Host}:{Port}/{Database}";
}
