namespace ContivKsr.Kv.Etcd.Core;

/// <summary>The configured endpoints as URIs of one scheme (a gRPC channel speaks either TLS or plaintext).</summary>
public sealed record EtcdEndpoints(IReadOnlyList<Uri> Uris, bool UseTls)
{
    private const int DefaultPort = 2379;

    /// <summary>"h1:2379,https://h2:2379" etc. Without a scheme, https is used when TLS is configured.</summary>
    /// <exception cref="KvInvalidConfigException">No endpoint, a malformed one, or mixed schemes.</exception>
    public static EtcdEndpoints Parse(IReadOnlyList<string> endpoints, bool tlsConfigured)
    {
        if (endpoints.Count == 0)
        {
            throw new KvInvalidConfigException("no etcd endpoint given (expected host:port[,host:port...])");
        }

        var uris = new List<Uri>();
        foreach (var raw in endpoints)
        {
            var endpoint = raw.Trim();
            var hasScheme = endpoint.Contains("://", StringComparison.Ordinal);
            var text = hasScheme ? endpoint : (tlsConfigured ? "https://" : "http://") + endpoint;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.Host.Length == 0
                || uri.AbsolutePath != "/")
            {
                throw new KvInvalidConfigException($"bad etcd endpoint '{raw}' (expected host:port, http://host:port or https://host:port)");
            }

            // "host" alone gets etcd's client port, as etcdctl does.
            var port = HasExplicitPort(endpoint) ? uri.Port : DefaultPort;
            uris.Add(new UriBuilder(uri.Scheme, uri.Host, port).Uri);
        }

        var tls = uris[0].Scheme == Uri.UriSchemeHttps;
        if (uris.Any(u => (u.Scheme == Uri.UriSchemeHttps) != tls))
        {
            throw new KvInvalidConfigException("etcd endpoints mix http:// and https://; use one scheme for all");
        }

        if (!tls && tlsConfigured)
        {
            throw new KvInvalidConfigException("TLS files are configured but the etcd endpoints say http://");
        }

        return new EtcdEndpoints(uris, tls);
    }

    public override string ToString() => string.Join(",", Uris.Select(u => u.Authority));

    private static bool HasExplicitPort(string endpoint)
    {
        // Uri fills in 80/443 for a missing port, so look at the text itself.
        var schemeEnd = endpoint.IndexOf("://", StringComparison.Ordinal);
        var authority = (schemeEnd >= 0 ? endpoint[(schemeEnd + 3)..] : endpoint).TrimEnd('/');
        return authority.StartsWith('[')
            ? authority.Contains("]:", StringComparison.Ordinal)
            : authority.Contains(':');
    }
}
