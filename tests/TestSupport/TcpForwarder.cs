using System.Net;
using System.Net.Sockets;

namespace ContivKsr.TestSupport;

/// <summary>
/// A loopback TCP port that forwards every connection to a real server, and can be shut down
/// (listener and live connections) to make "that server" die while the real one behind it lives on:
/// a second endpoint for failover tests without a second server.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly string targetHost;
    private readonly int targetPort;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<TcpClient> connections = [];
    private readonly Task acceptLoop;
    private int accepted;

    public TcpForwarder(string targetHost, int targetPort)
        : this(new TcpListener(IPAddress.Loopback, 0), targetHost, targetPort)
    {
    }

    private TcpForwarder(TcpListener listener, string targetHost, int targetPort)
    {
        this.listener = listener;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        if (!listener.Server.IsBound)
        {
            listener.Start();
        }

        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Connections accepted so far (a client that keeps no connection opens one per request).</summary>
    public int Accepted => Volatile.Read(ref accepted);

    /// <summary>
    /// Loopback port <paramref name="targetPort"/> inside another network namespace, forwarded to the
    /// same port on this one's loopback: a server of the test's reachable at its usual address from
    /// plugins run in that namespace.
    /// </summary>
    public static TcpForwarder IntoNetworkNamespace(string namespacePath, int targetPort)
    {
        var listener = NetworkNamespaceThread.Run(namespacePath, () =>
        {
            var inside = new TcpListener(IPAddress.Loopback, targetPort);
            inside.Start();
            return inside;
        });
        return new TcpForwarder(listener, "127.0.0.1", targetPort);
    }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Stops listening and cuts every forwarded connection: the port now refuses connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }

        await stopping.CancelAsync();
        listener.Stop();
        lock (connections)
        {
            foreach (var connection in connections)
            {
                connection.Dispose();
            }

            connections.Clear();
        }

        try
        {
            await acceptLoop;
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            var inbound = await listener.AcceptTcpClientAsync(stopping.Token);
            Interlocked.Increment(ref accepted);
            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(targetHost, targetPort, stopping.Token);
            }
            catch (SocketException)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }

            lock (connections)
            {
                connections.Add(inbound);
                connections.Add(outbound);
            }

            _ = PumpAsync(inbound, outbound);
            _ = PumpAsync(outbound, inbound);
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), stopping.Token);
        }
        catch (Exception error) when (error is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
        }
        finally
        {
            // One side gone: the other goes too, as when a server dies.
            from.Dispose();
            to.Dispose();
        }
    }
}
