namespace ContivKsr.Kv.Consul;

/// <summary>Turns the configured "host:port" endpoints into base URIs of Consul's HTTP API.</summary>
internal static class ConsulEndpoints
{
    /// <summary>
    /// "host:port" becomes http://host:port/ (https:// when TLS is configured); an explicit
    /// http:// or https:// scheme is kept as given.
    /// </summary>
    /// <exception cref="KvInvalidConfigException">An endpoint is not a host:port or an http(s) URL.</exception>
    public static IReadOnlyList<Uri> Parse(IReadOnlyList<string> endpoints, bool useTls)
    {
        if (endpoints.Count == 0)
        {
            throw new KvInvalidConfigException("no Consul endpoint given (expected host:port[,host:port...])");
        }

        var defaultScheme = useTls ? "https" : "http";
        var result = new List<Uri>(endpoints.Count);
        foreach (var endpoint in endpoints)
        {
            var text = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : $"{defaultScheme}://{endpoint}";
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || string.IsNullOrEmpty(uri.Host))
            {
                throw new KvInvalidConfigException($"bad Consul endpoint '{endpoint}' (expected host:port or http(s)://host:port)");
            }

            result.Add(new UriBuilder(uri.Scheme, uri.Host, uri.Port, "/").Uri);
        }

        return result;
    }
}
