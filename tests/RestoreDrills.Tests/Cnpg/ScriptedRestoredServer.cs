using Dapper;

namespace RestoreDrills.Tests.Cnpg;

/// <summary>
/// One really restored PostgreSQL for the scripted CNPG tests whose restored cluster becomes ready: the double's
/// primary pod forwards to it, so the drill's verification (amcheck, expectations, timeline, archive_mode) runs
/// against a real server on a new timeline, with backup_test and the canonical rows owned by app, as a CNPG
/// source bootstrapped with initdb holds them. Started on first use only (tests that never reach a ready cluster
/// need no Docker engine) and removed at the end of the namespace's tests.
/// </summary>
[SetUpFixture]
public sealed class ScriptedRestoredServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly string RunId = "s" + DateTime.UtcNow.ToString("MMddHHmmss") + "-" + Guid.NewGuid().ToString("N")[..6];
    private static ContainersPlatform? _platform;
    private static RestoredInstance? _restored;
    private static PostgresEndpoint? _endpoint;
    private static string? _results;

    /// <summary>The newest segment the scripted source reports archived; the restored server's archive reaches it.</summary>
    public const string ArchivedUpTo = "000000010000000000000009";

    /// <summary>The restored server (started and restored on the first call: about half a minute).</summary>
    public static async Task<PostgresEndpoint> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _endpoint ??= await StartAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<PostgresEndpoint> StartAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = limit.Token;
        ContainerEnvironment.ApplyDefaults();
        InterruptCleanup.Register(RunId);
        _results = Path.Combine(Path.GetTempPath(), "restoredrills-scripted-server", RunId);
        var settings = DrillSettings.Read(new SettingsReader(name => TestContext.Parameters.Get(name)), _results) with { SeedRowCount = 50 };
        _platform = await ContainersPlatform.StartAsync(settings, RunId, ct);
        await using var source = await _platform.StartSourceAsync(_platform.NewServerName("scripted"), ct);
        await using (var db = await source.OpenAsync(ct))
        {
            await BackupTestSeed.ApplyAsync(db, settings.SeedRandomSeed, settings.SeedRowCount, ct);
            await ApplicationOwnership.GiveToAsync(db, "app", "backup_test");
        }
        var backup = await source.BackUpAsync(TimeSpan.FromMinutes(2), ct);
        // The scripted source reports segment ArchivedUpTo archived (CnpgDoubleTest.SeedHealthySource): this archive
        // really reaches it, so a restore to latest replays that far, as the drill checks (bounded: a few switches).
        await using (var db = await source.OpenAsync(ct))
            for (var i = 0; i < 16; i++)
            {
                await db.ExecuteAsync("SELECT pg_logical_emit_message(false, 'restoredrills', 'past the backup')");
                await source.SwitchWalAndWaitArchivedAsync(TimeSpan.FromSeconds(60), ct);
                var archived = await db.ExecuteScalarAsync<string>("SELECT last_archived_wal FROM pg_stat_archiver") ?? "";
                if (string.CompareOrdinal(archived, ArchivedUpTo) >= 0) break;
            }
        _restored = await _platform.CreateRestoredAsync(source, ct);
        await RestoreSteps.RunAsync(_restored, backup.Backup.BackupId, RecoveryTarget.Latest());
        await using var restored = await _restored.OpenAsync(ct);
        return new PostgresEndpoint(restored.Host!, restored.Port, SourceInstance.Superuser, source.Password);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_restored is not null) await _restored.DisposeAsync();
        if (_platform is not null) await _platform.DisposeAsync();
        if (_platform is not null) await ResourceSweeper.SweepRunAsync(RunId);
        if (_results is not null && Directory.Exists(_results)) Directory.Delete(_results, recursive: true);
        (_platform, _restored, _endpoint) = (null, null, null);
    }
}
