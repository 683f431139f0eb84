using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using k8s;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// A port on 127.0.0.1 that reaches one port of a pod through the API server's pods/portforward subresource, as
/// kubectl port-forward and CloudNative-PG's own e2e tests reach a cluster's primary from outside the cluster
/// (its services resolve only inside). One WebSocket tunnel per accepted connection, KubernetesClient's channel
/// framing (v4.channel.k8s.io). Opening probes one tunnel, so a missing grant or a missing pod fails here, in one
/// line, not later inside the database driver. Disposing stops accepting and closes every open tunnel.
/// </summary>
public sealed class PodPortForward : IAsyncDisposable
{
    private readonly CnpgApi _api;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<Task> _tunnels = [];
    private readonly Task _accepting;
    private readonly Action<string> _progress;

    private PodPortForward(CnpgApi api, string pod, int port, Action<string> progress)
    {
        (_api, Pod, Port, _progress) = (api, pod, port, progress);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        LocalEndpoint = (IPEndPoint)_listener.LocalEndpoint;
        _accepting = Task.Run(AcceptAsync);
    }

    public string Pod { get; }
    public int Port { get; }

    /// <summary>What the API server last said on a tunnel's error channel (e.g. nothing listens on the pod's port).</summary>
    public string? LastError { get; private set; }

    /// <summary>Where a client connects: 127.0.0.1 and a free port.</summary>
    public IPEndPoint LocalEndpoint { get; }

    public static async Task<PodPortForward> OpenAsync(CnpgApi api, string pod, int port, Action<string> progress, CancellationToken ct)
    {
        using (var probe = await api.PortForwardAsync(pod, port, ct))
            await CloseQuietlyAsync(probe);
        var forward = new PodPortForward(api, pod, port, progress);
        progress($"port-forward {forward.LocalEndpoint} -> pod {pod}:{port} (pods/portforward)");
        return forward;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            lock (_lock)
            {
                _tunnels.RemoveAll(t => t.IsCompleted);
                _tunnels.Add(Task.Run(() => TunnelAsync(client)));
            }
        }
    }

    /// <summary>Bytes both ways between the local connection and the pod's port until either side closes.</summary>
    private async Task TunnelAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            using var socket = await _api.PortForwardAsync(Pod, Port, _stop.Token);
            using var demuxer = new StreamDemuxer(socket, StreamType.PortForward);
            demuxer.Start();
            // KubernetesClient's muxed streams read synchronously (a blocking wait for the next frame), and a
            // Stream's default async methods serialise reads and writes of one instance: a pending read would hold
            // back every write. So: one stream instance per direction, and the blocking reads on threads of their own.
            await using var fromPod = demuxer.GetStream((byte?)0, null);
            await using var toPod = demuxer.GetStream(null, (byte?)0);
            await using var errors = demuxer.GetStream((byte?)1, null);
            var local = client.GetStream();
            var up = local.CopyToAsync(toPod, _stop.Token);
            var down = Task.Factory.StartNew(() => fromPod.CopyTo(local), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var error = Task.Factory.StartNew(() => new StreamReader(errors).ReadToEnd().Trim(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            // The pod's side ended first: the error channel says why, if anything went wrong.
            if (await Task.WhenAny(up, down) == down && await error.WaitAsync(Configuration.SettingsTable.PortForwardError.DefaultDuration).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : "", TaskScheduler.Default) is { Length: > 0 } said)
            {
                LastError = said;
                _progress($"port-forward to pod {Pod}:{Port}: {said}");
            }
            await CloseQuietlyAsync(socket);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _progress($"port-forward to pod {Pod}:{Port}: a connection ended with {e.GetType().Name}: {e.Message}");
        }
        catch (OperationCanceledException)
        {
            // disposed: the drill is done with the pod
        }
    }

    private static async Task CloseQuietlyAsync(WebSocket socket)
    {
        if (socket.State != WebSocketState.Open) return;
        using var bounded = new CancellationTokenSource(Configuration.SettingsTable.PortForwardClose.DefaultDuration);
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", bounded.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // the other side went first
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] tunnels;
        lock (_lock) tunnels = [.. _tunnels];
        await Task.WhenAll(tunnels).WaitAsync(Configuration.SettingsTable.PortForwardDrain.DefaultDuration).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}
