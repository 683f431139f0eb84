using System.Globalization;
using Dapper;

namespace RestoreDrills.Tests.Cnpg;

/// <summary>
/// Base of the CNPG tests whose source is real: a source on the containers platform behind the double's seeded Cluster
/// pg-prod, the double's operator backing it up and restoring from its store for real (<see cref="ContainersOperator"/>).
/// </summary>
[Category("Containers")]
[CancelAfter(LimitMilliseconds)]
public abstract class OperatedSourceTest : CnpgDoubleTest
{
    /// <summary>How long one test may take (five minutes) before its token is cancelled.</summary>
    protected const int LimitMilliseconds = 5 * 60 * 1000;

    /// <summary>The test's own token, cancelled by the fixture's CancelAfter.</summary>
    protected static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    /// <summary>
    /// A real source on the containers platform behind the seeded Cluster pg-prod (its image names the major it runs),
    /// the double's operator working for real on it, and the drill's settings to read it, with timeouts for real work.
    /// </summary>
    protected async Task<(SourceInstance Source, CnpgSettings Settings)> StartOperatedSourceAsync(string prefix, CancellationToken ct)
    {
        var platform = ContainersRun.Platform;
        var serverName = platform.NewServerName(prefix);
        var source = await platform.StartSourceAsync(serverName, ct);
        await using (var db = await source.OpenAsync(ct)) await RunTheSourcesMajorAsync(db);
        return (source, OperateForReal(platform, source, serverName, ct));
    }

    /// <summary>An operated source, its settings, an open connection to its app database, and a drill of it.</summary>
    protected sealed record SeededSource(SourceInstance Source, CnpgSettings Settings, Npgsql.NpgsqlConnection Db, CnpgDrill Drill) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Db.DisposeAsync();
            await Source.DisposeAsync();
        }
    }

    /// <summary>An operated source whose app database holds the seeded backup_test, owned by app as CNPG's bootstrap leaves it.</summary>
    protected async Task<SeededSource> StartSeededSourceAsync(string prefix, CancellationToken ct)
    {
        var (source, settings) = await StartOperatedSourceAsync(prefix, ct);
        try
        {
            var db = await source.OpenAsync(ct);
            var seed = ContainersRun.Platform.Settings;
            await BackupTestSeed.ApplyAsync(db, seed.SeedRandomSeed, seed.SeedRowCount, ct);
            await ApplicationOwnership.GiveToAsync(db, "app", "backup_test");
            return new SeededSource(source, settings, db, Drill(settings));
        }
        catch
        {
            await source.DisposeAsync(); // the caller never got it to remove
            throw;
        }
    }

    private CnpgSettings OperateForReal(ContainersPlatform platform, SourceInstance source, string serverName, CancellationToken ct)
    {
        var @operator = new ContainersOperator(platform);
        @operator.Adopt(CnpgFixtureValues.SourceCluster, source);
        Double.BackupPerformer = backup => @operator.BackUpAsync(backup, ct);
        Double.RestorePerformer = manifest => @operator.RestoreAsync(manifest, ct);
        return Settings with
        {
            SourceServerName = serverName, BackupTimeout = TimeSpan.FromMinutes(2), ClusterReadyTimeout = TimeSpan.FromMinutes(3),
            AppSecretTimeout = TimeSpan.FromSeconds(10), DeleteTimeout = TimeSpan.FromSeconds(60), PollInterval = TimeSpan.FromMilliseconds(250),
        };
    }

    /// <summary>The archiver's progress into the source Cluster's status, as CNPG's instance manager reports pg_stat_archiver.</summary>
    protected async Task ReportArchiverAsync(Npgsql.NpgsqlConnection db)
    {
        var (wal, at) = await db.QuerySingleAsync<(string?, DateTime?)>("SELECT last_archived_wal, last_archived_time FROM pg_stat_archiver");
        Double.ReportArchived(CnpgFixtureValues.SourceCluster, wal, at is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null);
    }

    /// <summary>The seeded source Cluster names the major the real source runs: the restore must run it too.</summary>
    private async Task RunTheSourcesMajorAsync(Npgsql.NpgsqlConnection db)
    {
        var major = int.Parse(await db.ExecuteScalarAsync<string>("SHOW server_version_num") ?? "0", CultureInfo.InvariantCulture) / 10000;
        Double.Patch(CnpgResources.Clusters, CnpgFixtureValues.SourceCluster, c => c["spec"]!["imageName"] = $"ghcr.io/cloudnative-pg/postgresql:{major}");
    }
}
