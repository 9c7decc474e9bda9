using System.Globalization;

namespace ContivKsr.ZooKeeper.Client;

/// <summary>
/// The servers of a ZooKeeper ensemble and an optional chroot, from endpoints such as
/// ["h1:2181", "h2:2181/app"] (the uri "h1:2181,h2:2181/app" split at commas), as ZooKeeper's own
/// connect string writes them: the chroot follows the last host.
/// </summary>
public sealed record ZkConnectString(IReadOnlyList<(string Host, int Port)> Servers, string Chroot)
{
    public const int DefaultPort = 2181;

    /// <exception cref="ArgumentException">No server, a bad port, or a chroot in the middle of the list.</exception>
    public static ZkConnectString Parse(IReadOnlyList<string> endpoints)
    {
        var servers = new List<(string, int)>();
        var chroot = "";
        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = StripScheme(endpoints[i].Trim());
            var slash = endpoint.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                if (i != endpoints.Count - 1)
                {
                    throw new ArgumentException($"ZooKeeper endpoint '{endpoints[i]}': a chroot may only follow the last host (h1:2181,h2:2181/chroot)");
                }

                var segments = endpoint[slash..].Split('/', StringSplitOptions.RemoveEmptyEntries);
                chroot = segments.Length == 0 ? "" : "/" + string.Join('/', segments);
                endpoint = endpoint[..slash];
            }

            if (endpoint.Length > 0)
            {
                servers.Add(ParseHostPort(endpoint, endpoints[i]));
            }
        }

        if (servers.Count == 0)
        {
            throw new ArgumentException("no ZooKeeper server given (expected host:port[,host:port...][/chroot])");
        }

        return new ZkConnectString(servers, chroot);
    }

    private static string StripScheme(string endpoint)
    {
        var scheme = endpoint.IndexOf("://", StringComparison.Ordinal);
        return scheme >= 0 ? endpoint[(scheme + 3)..] : endpoint;
    }

    private static (string, int) ParseHostPort(string endpoint, string original)
    {
        // "[::1]:2181" keeps its brackets out of the host; a bare "host" takes the default port.
        string host;
        string? port = null;
        if (endpoint.StartsWith('['))
        {
            var close = endpoint.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ArgumentException($"ZooKeeper endpoint '{original}': unclosed '['");
            }

            host = endpoint[1..close];
            var rest = endpoint[(close + 1)..];
            if (rest.StartsWith(':'))
            {
                port = rest[1..];
            }
        }
        else
        {
            var colon = endpoint.LastIndexOf(':');
            host = colon >= 0 ? endpoint[..colon] : endpoint;
            port = colon >= 0 ? endpoint[(colon + 1)..] : null;
        }

        if (host.Length == 0)
        {
            throw new ArgumentException($"ZooKeeper endpoint '{original}' has no host");
        }

        if (port is null)
        {
            return (host, DefaultPort);
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            throw new ArgumentException($"ZooKeeper endpoint '{original}': '{port}' is not a port number");
        }

        return (host, number);
    }
}
