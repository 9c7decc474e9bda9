using System.Net;
using System.Net.Sockets;

namespace ContivKsr.TestSupport;

/// <summary>
/// A loopback port that accepts TCP connections and never answers: a hung server, which a client
/// must give up on within its timeout (unlike a closed port, which refuses at once).
/// </summary>
public sealed class SilentServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> accepted = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;

    public SilentServer()
    {
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = AcceptAsync();
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        try
        {
            accepting.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped while accepting.
        }

        lock (accepted)
        {
            accepted.ForEach(s => s.Dispose());
        }

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var socket = await listener.AcceptSocketAsync(stop.Token);
            lock (accepted)
            {
                accepted.Add(socket);
            }
        }
    }
}
