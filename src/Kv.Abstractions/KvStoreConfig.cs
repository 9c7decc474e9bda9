namespace ContivKsr.Kv;

/// <summary>How to reach a store. A plain record: build it in code, from a CNI config, or from kvctl's flags.</summary>
public sealed record KvStoreConfig
{
    public static readonly TimeSpan DefaultConnectionTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Canonical backend name (see <see cref="KvBackend.Parse"/>).</summary>
    public required string Backend { get; init; }

    /// <summary>"host:port" endpoints, tried in order; a call fails over to the next when one is down.</summary>
    public required IReadOnlyList<string> Endpoints { get; init; }

    /// <summary>Bound on connecting and on each call's wait for an unreachable store.</summary>
    public TimeSpan ConnectionTimeout { get; init; } = DefaultConnectionTimeout;

    public KvTlsConfig? Tls { get; init; }

    /// <summary>etcd user, ZooKeeper digest user.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>Consul ACL token.</summary>
    public string? Token { get; init; }

    /// <summary>The backend's own settings (for etcd, its EtcdOptions); null for its defaults.</summary>
    public KvBackendOptions? BackendOptions { get; init; }

    /// <summary>Splits a "h1:2379,h2:2379" uri (an optional scheme such as http:// is kept) into endpoints.</summary>
    /// <exception cref="KvInvalidConfigException">The uri holds no endpoint.</exception>
    public static IReadOnlyList<string> ParseEndpoints(string? uri)
    {
        var endpoints = (uri ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (endpoints.Length == 0)
        {
            throw new KvInvalidConfigException("no store endpoint given (expected host:port[,host:port...])");
        }

        return endpoints;
    }
}

/// <summary>TLS files (PEM). With only <see cref="CaFile"/> the server is verified; with cert and key the client authenticates too.</summary>
public sealed record KvTlsConfig
{
    public string? CaFile { get; init; }

    public string? CertFile { get; init; }

    public string? KeyFile { get; init; }

    /// <summary>Accept any server certificate. For tests only.</summary>
    public bool InsecureSkipVerify { get; init; }
}
