using ContivKsr.Kv;
using ContivKsr.Kv.Etcd.Core;

namespace ContivKsr.Ksr.Config;

/// <summary>
/// --store-config: any IKvStore backend (etcd, consul, zookeeper) in one YAML file. Goes beyond the
/// Go KSR, which wrote to etcd only. On etcd, leading-slash defaults to true as in etcdv3.conf.
/// </summary>
public static class StoreConfigFile
{
    private static readonly string[] Known =
    [
        "backend", "endpoints", "connection-timeout", "operation-timeout", "username", "password", "token",
        "ca-file", "cert-file", "key-file", "insecure-skip-tls-verify", "leading-slash",
    ];

    /// <exception cref="ConfigException">Missing or malformed file.</exception>
    public static StoreSettings Load(string path, Action<string> warn)
    {
        var file = YamlConfigFile.Load(path, "store configuration", Known);
        foreach (var key in file.UnknownKeys)
        {
            warn($"{path}: option '{key}' is not used by this daemon");
        }

        string backend;
        try
        {
            backend = KvBackend.Parse(file.String("backend"));
        }
        catch (KvInvalidConfigException e)
        {
            throw new ConfigException($"{path}: {e.Message}", e);
        }

        if (backend == KvBackend.EtcdV2)
        {
            throw new ConfigException($"{path}: contiv-ksr writes through etcd's v3 API; 'etcdv2' (etcd's retired v2 keys) is for reading old data with libkv and kvctl");
        }

        backend = KvBackend.IsEtcdV3(backend) ? KvBackend.Etcd : backend;

        var endpoints = file.List("endpoints");
        if (endpoints is not { Count: > 0 } || endpoints.Any(string.IsNullOrWhiteSpace))
        {
            throw new ConfigException($"{path}: 'endpoints' must list at least one host:port");
        }

        var leadingSlash = file.Bool("leading-slash");
        if (leadingSlash is not null && backend != KvBackend.Etcd)
        {
            throw new ConfigException($"{path}: 'leading-slash' is for etcd only (ZooKeeper paths always start with '/', Consul keys never do)");
        }

        var certFile = file.String("cert-file");
        var keyFile = file.String("key-file");
        var caFile = file.String("ca-file");
        var skipVerify = file.Bool("insecure-skip-tls-verify") ?? false;
        return new StoreSettings(
            new KvStoreConfig
            {
                Backend = backend,
                Endpoints = endpoints,
                ConnectionTimeout = file.Duration("connection-timeout") ?? KvStoreConfig.DefaultConnectionTimeout,
                Username = file.String("username"),
                Password = file.String("password"),
                Token = file.String("token"),
                Tls = certFile is not null || caFile is not null || skipVerify
                    ? new KvTlsConfig { CertFile = certFile, KeyFile = keyFile, CaFile = caFile, InsecureSkipVerify = skipVerify }
                    : null,
                BackendOptions = backend == KvBackend.Etcd ? new EtcdOptions { LeadingSlash = leadingSlash ?? EtcdV3ConfigFile.DefaultLeadingSlash } : null,
            },
            file.Duration("operation-timeout") ?? EtcdV3ConfigFile.DefaultOperationTimeout);
    }
}
