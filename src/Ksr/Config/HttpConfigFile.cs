using System.Net;

namespace ContivKsr.Ksr.Config;

/// <summary>http.conf in the Go KSR's format: <c>endpoint: host:port</c>.</summary>
public static class HttpConfigFile
{
    public const string DefaultEndpoint = "0.0.0.0:9191";

    private static readonly string[] Known = ["endpoint"];

    public static IPEndPoint Load(string path, Action<string> warn)
    {
        var file = YamlConfigFile.Load(path, "HTTP configuration", Known);
        foreach (var key in file.UnknownKeys)
        {
            warn($"{path}: option '{key}' is not used by this daemon");
        }

        return ParseEndpoint(file.String("endpoint") ?? DefaultEndpoint, path);
    }

    /// <summary>"host:port", ":port" (all addresses) or "[v6]:port".</summary>
    public static IPEndPoint ParseEndpoint(string text, string source)
    {
        var value = text.Trim();
        if (value.StartsWith(':'))
        {
            value = "0.0.0.0" + value;
        }

        if (value.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
        {
            value = "127.0.0.1" + value["localhost".Length..];
        }

        if (!IPEndPoint.TryParse(value, out var endpoint) || !value.Contains(':', StringComparison.Ordinal))
        {
            throw new ConfigException($"{source}: endpoint '{text}' must be host:port with an IP address (e.g. 0.0.0.0:9191)");
        }

        return endpoint;
    }
}
