using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace RestoreDrills.Tests.Cnpg;

/// <summary>
/// The port-forward the drill reaches a restored primary through, against the double's pods/portforward
/// (WebSocket, v4.channel.k8s.io framing as kubelet sends it) in front of a TCP echo server standing in for the pod.
/// </summary>
public sealed class PodPortForwardTests : CnpgDoubleTest
{
    [Test]
    public async Task Bytes_cross_the_tunnel_both_ways_unchanged_over_several_connections()
    {
        await using var echo = EchoServer.Start();
        Double.RunPod("pg-echo-1", "pg-echo", new PostgresEndpoint("127.0.0.1", echo.Port, "postgres", "unused"));
        await using var forward = await PodPortForward.OpenAsync(Api, "pg-echo-1", CnpgResources.PostgresPort, Progress.WriteLine, CancellationToken.None);

        Assert.That(forward.LocalEndpoint.Address, Is.EqualTo(IPAddress.Loopback));
        foreach (var size in new[] { 1, 4096, 3 * 1024 * 1024 }) // one byte; one page; more than one WebSocket frame
        {
            var sent = RandomNumberGenerator.GetBytes(size);
            using var client = new TcpClient();
            await client.ConnectAsync(forward.LocalEndpoint);
            var stream = client.GetStream();
            var writing = stream.WriteAsync(sent).AsTask();
            var received = new byte[size];
            await stream.ReadExactlyAsync(received).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            await writing;
            Assert.That(received, Is.EqualTo(sent), $"{size} bytes came back changed");
        }
        Assert.That(Double.Requests.Count(r => r.Contains("/pods/pg-echo-1/portforward?ports=5432 (websocket)", StringComparison.Ordinal)), Is.EqualTo(4), "one probe, one tunnel per connection");
    }

    [Test]
    [Category("Containers")]
    public async Task A_real_PostgreSQL_answers_through_the_tunnel()
    {
        var server = await ScriptedRestoredServer.GetAsync();
        Double.RunPod("pg-real-1", "pg-real", server);
        await using var forward = await PodPortForward.OpenAsync(Api, "pg-real-1", CnpgResources.PostgresPort, Progress.WriteLine, CancellationToken.None);
        var connection = new CnpgConnection("pg-real-rw", 5432, "app", server.Superuser, server.SuperuserPassword).Via(forward.LocalEndpoint);
        await using var db = await new RestoredAccess("pg-real", connection, connection).OpenAsync(connection, CancellationToken.None);
        await using var query = new Npgsql.NpgsqlCommand("SELECT count(*) FROM backup_test", db);
        Assert.That(await query.ExecuteScalarAsync(), Is.GreaterThanOrEqualTo(5L));
    }

    [Test]
    public void A_pod_that_does_not_exist_is_one_line_naming_it()
    {
        var error = Assert.ThrowsAsync<CnpgSetupException>(() => PodPortForward.OpenAsync(Api, "pg-gone-1", CnpgResources.PostgresPort, Progress.WriteLine, CancellationToken.None));
        Assert.That(error!.Message, Is.EqualTo("port-forward to pod pg-gone-1:5432 in namespace drills: the pod does not exist"));
    }

    [Test]
    public async Task A_pod_with_nothing_listening_closes_the_connection_and_says_why()
    {
        Double.RunPod("pg-down-1", "pg-down", new PostgresEndpoint("127.0.0.1", ClosedPort(), "postgres", "unused"));
        await using var forward = await PodPortForward.OpenAsync(Api, "pg-down-1", CnpgResources.PostgresPort, Progress.WriteLine, CancellationToken.None);
        using var client = new TcpClient();
        await client.ConnectAsync(forward.LocalEndpoint);
        var read = await client.GetStream().ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(read, Is.Zero, "the connection is closed");
        for (var i = 0; i < 50 && forward.LastError is null; i++) await Task.Delay(100);
        Assert.That(forward.LastError, Does.StartWith("error forwarding port 5432 to pod pg-down-1"));
    }

    private static int ClosedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>Sends back every byte it receives, per connection, on 127.0.0.1.</summary>
    private sealed class EchoServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private Task _accepting = Task.CompletedTask;

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public static EchoServer Start()
        {
            var server = new EchoServer();
            server._listener.Start();
            server._accepting = server.AcceptAsync();
            return server;
        }

        private async Task AcceptAsync()
        {
            var connections = new List<Task>();
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    connections.Add(Task.Run(async () =>
                    {
                        using (client) await client.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
                    }));
                }
            }
            catch (OperationCanceledException)
            {
                await Task.WhenAll(connections).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting;
            _stop.Dispose();
        }
    }
}
