using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;
using DotNet.Testcontainers.Volumes;
using RestoreDrills.Backups;
using RestoreDrills.ObjectStore;

namespace RestoreDrills.Platforms.Containers;

/// <summary>
/// barman-cloud in a container of its own beside the restored server, as the Barman Cloud Plugin runs it in a sidecar
/// of a CNPG instance: the upgrade question "does barman-cloud N restore what barman-cloud M wrote?" asked without a
/// server of that major in the tools' image. Both share one volume (PostgreSQL's home: the data directory, the recovery
/// log, this protocol's folder). The sidecar downloads the base backup into the data directory, and answers the
/// server's restore_command one WAL file at a time through files: request, answer with barman-cloud-wal-restore's exit
/// code and its messages. It runs as the server's postgres user (its uid may differ between the two images' Debian suites).
/// </summary>
public sealed class BarmanSidecar : IAsyncDisposable
{
    public const string Home = "/var/lib/postgresql";
    private const string Folder = Home + "/barman-sidecar";

    /// <summary>The server's restore_command: asks the sidecar for %f, waits for its answer (bounded), puts the file at %p.</summary>
    public const string RestoreCommand = Folder + "/wal-restore %f %p";

    /// <summary>How long the server's restore_command waits for one answer (one barman-cloud-wal-restore).</summary>
    public static readonly TimeSpan AnswerTimeout = Configuration.SettingsTable.SidecarAnswer.DefaultDuration;

    private readonly IContainer _container;
    private readonly BarmanCloudCommands _barman;

    private BarmanSidecar(IContainer container, BarmanCloudCommands barman)
    {
        _container = container;
        _barman = barman;
    }

    public string Image => _container.Image.FullName;

    /// <summary>The volume a restored server and its sidecar share, mounted at <see cref="Home"/>.</summary>
    public static IVolume NewVolume(IReadOnlyDictionary<string, string> labels) =>
        new VolumeBuilder().WithName($"restoredrills-{Guid.NewGuid():N}"[..36]).WithLabel(labels).WithLogger(ContainerEnvironment.Logger).Build();

    /// <summary>Starts the sidecar on the shared volume as <paramref name="uid"/>:<paramref name="gid"/> (the server's postgres user).</summary>
    public static async Task<BarmanSidecar> StartAsync(string image, IVolume volume, INetwork network, ObjectStoreLocation store,
        string uid, string gid, IReadOnlyDictionary<string, string> labels, TimeSpan timeout, CancellationToken ct)
    {
        var barman = new BarmanCloudCommands(store);
        var container = new ContainerBuilder(image)
            .WithNetwork(network)
            .WithLogger(ContainerEnvironment.Logger)
            .WithLabel(labels)
            .WithVolumeMount(volume, Home)
            .WithEnvironment(store.CredentialsEnvironment)
            .WithEnvironment("HOME", "/tmp") // the server's uid has no home in the sidecar's image
            .WithCreateParameterModifier(p => p.User = $"{uid}:{gid}")
            .WithCommand("bash", "-c", ServeScript(barman))
            .Build();
        using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        startTimeout.CancelAfter(timeout);
        try
        {
            await container.StartAsync(startTimeout.Token);
            await ContainerCommands.ShellAsync(container, InstallScript(), "installing the sidecar's restore_command", startTimeout.Token);
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
        return new BarmanSidecar(container, barman);
    }

    /// <summary>barman-cloud-restore of the chosen base backup, run by the sidecar's barman-cloud.</summary>
    public Task<ExecResult> RestoreAsync(string backupId, string dataDirectory, CancellationToken ct) =>
        ContainerCommands.RunAsync(_container, _barman.Restore(backupId, dataDirectory), "barman-cloud-restore (sidecar)", ct);

    /// <summary>The sidecar's barman-cloud version (e.g. "barman-cloud-restore 3.13.3").</summary>
    public async Task<string> BarmanVersionAsync(CancellationToken ct) =>
        (await ContainerCommands.RunAsync(_container, ["barman-cloud-restore", "--version"], "barman-cloud-restore --version", ct)).Stdout.Trim();

    /// <summary>
    /// The serving loop, the container's command: each request is answered once, with the exit code and the messages of
    /// one barman-cloud-wal-restore. Bounded (a day at most); TERM ends it at once.
    /// </summary>
    private static string ServeScript(BarmanCloudCommands barman) => $$"""
        trap 'exit 0' TERM INT
        mkdir -p {{Folder}}/requests {{Folder}}/answers {{Folder}}/wal
        for ((round = 0; round < 1728000; round++)); do
          for request in {{Folder}}/requests/*; do
            [ -e "$request" ] || continue
            f=$(basename "$request"); rm -f "$request"
            {{barman.WalRestoreProgram}} "$f" "{{Folder}}/wal/$f" 2> "{{Folder}}/answers/$f.err"
            echo $? > "{{Folder}}/answers/$f.tmp" && mv "{{Folder}}/answers/$f.tmp" "{{Folder}}/answers/$f"
          done
          sleep 0.05
        done
        """;

    /// <summary>The server side of the protocol, written into the shared volume for the server's restore_command.</summary>
    private static string InstallScript() => $$"""
        mkdir -p {{Folder}}/requests {{Folder}}/answers {{Folder}}/wal
        cat > {{Folder}}/wal-restore <<'END_OF_SCRIPT'
        #!/bin/bash
        # restore_command written by RestoreDrills: the WAL file comes from barman-cloud in the sidecar container.
        dir={{Folder}}; f="$1"; p="$2"
        rm -f "$dir/answers/$f" "$dir/answers/$f.err"; : > "$dir/requests/$f"
        for ((i = 0; i < {{(int)(AnswerTimeout.TotalSeconds * 20)}}; i++)); do
          if [ -e "$dir/answers/$f" ]; then
            rc=$(cat "$dir/answers/$f"); cat "$dir/answers/$f.err" >&2 2>/dev/null; rm -f "$dir/answers/$f" "$dir/answers/$f.err"
            if [ "$rc" = 0 ]; then mv "$dir/wal/$f" "$p" || exit 1; fi
            exit "$rc"
          fi
          sleep 0.05
        done
        echo "the barman-cloud sidecar did not answer for $f within {{AnswerTimeout.TotalSeconds}} s" >&2
        exit 1
        END_OF_SCRIPT
        chmod 755 {{Folder}}/wal-restore
        """;

    public ValueTask DisposeAsync() => _container.DisposeAsync();
}
