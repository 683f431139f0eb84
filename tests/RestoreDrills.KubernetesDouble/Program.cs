using System.Runtime.InteropServices;
using RestoreDrills.KubernetesDouble;

// Serves the Kubernetes API double standalone, in front of a real source on the containers platform, until SIGTERM,
// SIGINT or --minutes: ./scripts/test runs the nightly CNPG drills (tests/RestoreDrills.Drills, CnpgLiveDrills)
// against it through the kubeconfig it writes. Usage: RestoreDrills.KubernetesDouble --out <dir> [--minutes 90]
var output = Argument("--out") ?? throw new ArgumentException("usage: RestoreDrills.KubernetesDouble --out <dir> [--minutes 90]");
var lifetime = TimeSpan.FromMinutes(double.Parse(Argument("--minutes") ?? "90", System.Globalization.CultureInfo.InvariantCulture));
using var stop = new CancellationTokenSource(lifetime); // bounded: a forgotten double does not serve forever
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
void Progress(string line) => Console.WriteLine($"[cnpg double {DateTime.UtcNow:HH:mm:ss}] {line}");

Directory.CreateDirectory(output);
var ready = Path.Combine(output, "ready");
File.Delete(ready);
await using (var cluster = await StandaloneCluster.StartAsync(Path.Combine(output, "scratch"), Progress, stop.Token))
{
    await cluster.WriteAccessAsync(output);
    await File.WriteAllTextAsync(ready, cluster.Double.Url);
    Progress($"serving the Kubernetes API at {cluster.Double.Url} (namespace {StandaloneCluster.Namespace}); settings in {Path.Combine(output, "drills.env")}");
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        Progress("stopping: removing the source, the restored servers and the platform");
    }
    File.Delete(ready);
}
Progress($"stopped; {string.Join(", ", Directory.EnumerateFiles(output).Select(Path.GetFileName))} left in {output}");
return 0;

string? Argument(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
