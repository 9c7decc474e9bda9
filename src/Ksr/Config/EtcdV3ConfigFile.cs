using ContivKsr.Kv;
using ContivKsr.Kv.Etcd.Core;

namespace ContivKsr.Ksr.Config;

/// <summary>
/// etcdv3.conf in the Go KSR's format (cn-infra's etcd plugin): endpoints, dial-timeout,
/// operation-timeout, insecure-transport, insecure-skip-tls-verify, cert-file, key-file, ca-file;
/// plus our own leading-slash (default true: keys stored as '/vnf-agent/contiv-ksr/...', exactly
/// as the Go KSR's cn-infra broker wrote them and contiv's node agents watch them).
/// </summary>
public static class EtcdV3ConfigFile
{
    public static readonly TimeSpan DefaultDialTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultOperationTimeout = TimeSpan.FromSeconds(3);

    private static readonly string[] Known =
    [
        "endpoints", "dial-timeout", "operation-timeout", "insecure-transport", "insecure-skip-tls-verify",
        "cert-file", "key-file", "ca-file", "leading-slash",
    ];

    /// <summary>The Go KSR's keys start with '/': without it, contiv's agents would watch an empty prefix.</summary>
    public const bool DefaultLeadingSlash = true;

    /// <summary>Without a file: ETCDV3_ENDPOINTS (comma-separated) or 127.0.0.1:2379, default timeouts.</summary>
    public static StoreSettings Defaults(string? endpointsVariable) => new(
        new KvStoreConfig
        {
            Backend = KvBackend.Etcd,
            Endpoints = string.IsNullOrWhiteSpace(endpointsVariable) ? ["127.0.0.1:2379"] : KvStoreConfig.ParseEndpoints(endpointsVariable),
            ConnectionTimeout = DefaultDialTimeout,
            BackendOptions = new EtcdOptions { LeadingSlash = DefaultLeadingSlash },
        },
        DefaultOperationTimeout);

    /// <exception cref="ConfigException">Missing or malformed file.</exception>
    public static StoreSettings Load(string path, string? endpointsVariable, Action<string> warn)
    {
        var file = YamlConfigFile.Load(path, "etcd configuration", Known);
        foreach (var key in file.UnknownKeys)
        {
            warn($"{path}: option '{key}' is not used by this daemon");
        }

        var endpoints = file.List("endpoints") ?? Defaults(endpointsVariable).Store.Endpoints;
        if (endpoints.Count == 0 || endpoints.Any(string.IsNullOrWhiteSpace))
        {
            throw new ConfigException($"{path}: 'endpoints' must list at least one host:port");
        }

        var certFile = file.String("cert-file");
        var keyFile = file.String("key-file");
        var caFile = file.String("ca-file");
        var skipVerify = file.Bool("insecure-skip-tls-verify") ?? false;
        if ((certFile is null) != (keyFile is null))
        {
            throw new ConfigException($"{path}: 'cert-file' and 'key-file' go together");
        }

        // As in cn-infra: TLS unless insecure-transport, and only when there is something to use it with.
        var useTls = !(file.Bool("insecure-transport") ?? false) && (certFile is not null || caFile is not null || skipVerify);
        return new StoreSettings(
            new KvStoreConfig
            {
                Backend = KvBackend.Etcd,
                Endpoints = endpoints,
                ConnectionTimeout = file.Duration("dial-timeout") ?? DefaultDialTimeout,
                Tls = useTls ? new KvTlsConfig { CertFile = certFile, KeyFile = keyFile, CaFile = caFile, InsecureSkipVerify = skipVerify } : null,
                BackendOptions = new EtcdOptions { LeadingSlash = file.Bool("leading-slash") ?? DefaultLeadingSlash },
            },
            file.Duration("operation-timeout") ?? DefaultOperationTimeout);
    }
}
