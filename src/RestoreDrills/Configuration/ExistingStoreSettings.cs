using System.Globalization;
using RestoreDrills.Failures;

namespace RestoreDrills.Configuration;

/// <summary>
/// What the existing-store drill restores and what it expects, read from the RESTOREDRILLS_STORE_* and
/// RESTOREDRILLS_EXPECT_* settings (nunit.runsettings, environment wins). Nothing in the store is ever written.
/// </summary>
public sealed record ExistingStoreSettings
{
    /// <summary>barman's destinationPath as the restore container reaches it (RESTOREDRILLS_STORE_URL).</summary>
    public required StoreAddress Address { get; init; }

    /// <summary>The same store as the test process reaches it (RESTOREDRILLS_STORE_URL_FROM_HOST; default: the same URL).</summary>
    public required StoreAddress HostAddress { get; init; }

    /// <summary>A Docker network the restore container joins to reach the store (Azurite in a container), or none.</summary>
    public string? DockerNetwork { get; init; }

    public required string ServerName { get; init; }
    public required StoreCredentials Credentials { get; init; }
    public required BackupChoice Backup { get; init; }
    public required StoreTarget Target { get; init; }

    /// <summary>The database and superuser of the backed-up server (CNPG: app and postgres).</summary>
    public required string Database { get; init; }
    public required string Superuser { get; init; }

    /// <summary>PostgreSQL major version → image to restore into (a backup restores only into its own major).</summary>
    public required IReadOnlyDictionary<int, string> ImagesByMajor { get; init; }

    public required StoreExpectations Expectations { get; init; }

    /// <summary>The newest restorable backup may be this old at most (a daily schedule plus grace).</summary>
    public required TimeSpan MaxBackupAge { get; init; }

    /// <summary>RTO budget of the restore (download to promoted, as the containers drills').</summary>
    public required TimeSpan RtoBudget { get; init; }

    /// <param name="postgresImage">the run's image (RESTOREDRILLS_POSTGRES_IMAGE), for <paramref name="postgresMajor"/> (default 15)</param>
    public static ExistingStoreSettings Read(SettingsReader s, string postgresImage, int? postgresMajor = null)
    {
        var url = s.Required(SettingsTable.StoreUrl,
            "the existing-store drill needs the store's barman destinationPath, e.g. https://<account>.blob.core.windows.net/<container>");
        var address = StoreAddress.Parse(url, SettingsTable.StoreUrl.Name);
        return new ExistingStoreSettings
        {
            Address = address,
            HostAddress = s.Raw(SettingsTable.StoreUrlFromHost) is { } hostUrl ? StoreAddress.Parse(hostUrl, SettingsTable.StoreUrlFromHost.Name) : address,
            DockerNetwork = s.Raw(SettingsTable.StoreDockerNetwork),
            ServerName = s.Required(SettingsTable.StoreServerName,
                "name the server folder in the store (CNPG: serverName, by default the cluster's name)"),
            Credentials = StoreCredentials.Read(s),
            Backup = BackupChoice.Parse(s.String(SettingsTable.StoreBackup)),
            Target = StoreTarget.Parse(s.String(SettingsTable.StoreTarget)),
            Database = s.String(SettingsTable.StoreDatabase),
            Superuser = s.String(SettingsTable.StoreSuperuser),
            ImagesByMajor = ParseImages(s.String(SettingsTable.PostgresImages, DefaultImages(postgresImage, postgresMajor ?? ProjectMajors[0]))),
            Expectations = StoreExpectations.Read(s),
            MaxBackupAge = s.Duration(SettingsTable.BudgetBackupAge),
            RtoBudget = DrillBudgets.Read(s).Rto,
        };
    }

    /// <summary>The majors the project builds (./scripts/drill --postgres N), each into its own image; the run's image for its major.</summary>
    public static readonly IReadOnlyList<int> ProjectMajors = [15, 17, 18];

    private static string DefaultImages(string postgresImage, int postgresMajor)
    {
        var images = ProjectMajors.ToDictionary(m => m, m => $"restoredrills/postgres:{m}");
        images[postgresMajor] = postgresImage;
        return string.Join(',', images.OrderBy(i => i.Key).Select(i => $"{i.Key}={i.Value}"));
    }

    private static Dictionary<int, string> ParseImages(string value)
    {
        var images = new Dictionary<int, string>();
        foreach (var entry in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) || parts[1].Length == 0)
                throw new InvalidSettingException($"RESTOREDRILLS_POSTGRES_IMAGES entry '{entry}' is not <major>=<image>: e.g. 15=restoredrills/postgres:15,16=ghcr.io/cloudnative-pg/postgresql:16");
            images[major] = parts[1];
        }
        return images;
    }
}
