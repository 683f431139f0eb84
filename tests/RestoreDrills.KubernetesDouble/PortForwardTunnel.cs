using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace RestoreDrills.KubernetesDouble;

/// <summary>
/// The API server's side of pods/portforward over WebSocket, framed as kubelet frames it (v4.channel.k8s.io): each
/// message is [channel byte][payload]; channel 0 carries the data and channel 1 the errors of the one forwarded
/// port, and the first message on each starts with that port, two bytes little-endian. The data goes to the real
/// PostgreSQL behind the pod; a pod with nothing behind it answers on the error channel, as kubelet does when the
/// port refuses the connection.
/// </summary>
public static class PortForwardTunnel
{
    public const string Protocol = "v4.channel.k8s.io";
    private const byte DataChannel = 0, ErrorChannel = 1;

    public static async Task ServeAsync(HttpListenerContext context, string pod, int port, PostgresEndpoint? target, CancellationToken ct)
    {
        using var socket = (await context.AcceptWebSocketAsync(Protocol)).WebSocket;
        byte[] portPrefix = [(byte)(port & 0xff), (byte)(port >> 8)];
        await SendAsync(socket, DataChannel, portPrefix, ct);
        await SendAsync(socket, ErrorChannel, portPrefix, ct);
        using var tcp = new TcpClient();
        try
        {
            if (target is null || port != RestoreDrills.Platforms.Cnpg.Manifests.CnpgResources.PostgresPort) throw new SocketException((int)SocketError.ConnectionRefused);
            await tcp.ConnectAsync(target.Host, target.Port, ct);
        }
        catch (SocketException e)
        {
            await SendAsync(socket, ErrorChannel, Encoding.UTF8.GetBytes(
                $"error forwarding port {port} to pod {pod}: failed to connect to localhost:{port} inside namespace: {e.Message}"), ct);
            await CloseAsync(socket);
            return;
        }
        var stream = tcp.GetStream();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var up = UpAsync(socket, stream, stop.Token);
        var down = DownAsync(socket, stream, stop.Token);
        await Task.WhenAny(up, down);
        await stop.CancelAsync();
        await Task.WhenAll(up, down).ContinueWith(_ => { }, TaskScheduler.Default);
        await CloseAsync(socket);
    }

    /// <summary>Client → pod: the payload of data-channel messages (a message can arrive in several reads).</summary>
    private static async Task UpAsync(WebSocket socket, NetworkStream pod, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var channel = -1;
        while (!ct.IsCancellationRequested)
        {
            var read = await socket.ReceiveAsync(buffer, ct);
            if (read.MessageType == WebSocketMessageType.Close) return;
            var offset = 0;
            if (channel < 0 && read.Count > 0) (channel, offset) = (buffer[0], 1);
            if (channel == DataChannel && read.Count > offset) await pod.WriteAsync(buffer.AsMemory(offset, read.Count - offset), ct);
            if (read.EndOfMessage) channel = -1;
        }
    }

    /// <summary>Pod → client: what PostgreSQL sends, on the data channel, until it closes the connection.</summary>
    private static async Task DownAsync(WebSocket socket, NetworkStream pod, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await pod.ReadAsync(buffer, ct)) > 0)
            await SendAsync(socket, DataChannel, buffer.AsMemory(0, read), ct);
    }

    private static async Task SendAsync(WebSocket socket, byte channel, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var message = new byte[payload.Length + 1];
        message[0] = channel;
        payload.CopyTo(message.AsMemory(1));
        await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, ct);
    }

    private static async Task CloseAsync(WebSocket socket)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", bounded.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the client went first
        }
    }
}
