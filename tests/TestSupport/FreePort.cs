using System.Net;
using System.Net.Sockets;

namespace ContivKsr.TestSupport;

/// <summary>Free TCP ports on loopback, for servers the tests start.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A loopback port that nothing listens on, for "store unreachable" tests.</summary>
    public static int Closed() => Next();
}
