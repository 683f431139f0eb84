using Docker.DotNet.Models;

namespace RestoreDrills.Tests.Containers;

/// <summary>
/// The network rule: servers listen on 127.0.0.1 only. A user-defined Docker network ignores dockerd's --ip,
/// so the run's own network must carry the loopback binding, and every published port must show it.
/// </summary>
[TestFixture]
[Category("Containers")]
public sealed class LoopbackOnlyTests
{
    [Test]
    public async Task Every_published_port_of_the_run_listens_on_loopback_only()
    {
        var source = await ContainersRun.Platform.StartSourceAsync(ContainersRun.Platform.NewServerName("loopback"), CancellationToken.None);
        await using (source)
        {
            using var docker = DockerEngine.CreateClient();
            var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [$"{ResourceLabels.Run}={ContainersRun.RunId}"] = true },
                },
            });
            var published = containers.SelectMany(c => c.Ports.Where(p => p.PublicPort != 0).Select(p => (c.Image, p.IP, p.PublicPort))).ToList();

            Assert.That(published.Select(p => p.Image), Has.Some.Contains("azurite").And.Some.Contains("postgres"),
                "the source and Azurite publish their ports");
            Assert.That(published.Where(p => p.IP != "127.0.0.1"), Is.Empty, "ports published beyond loopback");
        }
    }
}
