using ContivKsr.Kv.Etcd.Core;

namespace ContivKsr.Kv.Cli;

/// <summary>Turns kvctl's store options (--backend, --uri, --timeout, TLS, credentials, --etcd-leading-slash) into a <see cref="KvStoreConfig"/>.</summary>
internal static class StoreConfigBuilder
{
    public static KvStoreConfig Build(Dictionary<string, string> options, HashSet<string> flags)
    {
        string backend;
        try
        {
            backend = KvBackend.Parse(options.GetValueOrDefault("--backend", KvBackend.Etcd));
        }
        catch (KvInvalidConfigException e)
        {
            throw new UsageException(e.Message);
        }

        var config = Default(backend);
        if (options.TryGetValue("--uri", out var uri))
        {
            try
            {
                config = config with { Endpoints = KvStoreConfig.ParseEndpoints(uri) };
            }
            catch (KvInvalidConfigException e)
            {
                throw new UsageException(e.Message);
            }
        }

        if (options.TryGetValue("--timeout", out var timeout))
        {
            config = config with { ConnectionTimeout = ArgumentParser.Seconds("--timeout", timeout) };
        }

        var tls = new KvTlsConfig
        {
            CaFile = options.GetValueOrDefault("--tls-ca"),
            CertFile = options.GetValueOrDefault("--tls-cert"),
            KeyFile = options.GetValueOrDefault("--tls-key"),
            InsecureSkipVerify = flags.Contains("--insecure-skip-tls-verify"),
        };
        if (tls.CaFile is not null || tls.CertFile is not null || tls.KeyFile is not null || tls.InsecureSkipVerify)
        {
            config = config with { Tls = tls };
        }

        var leadingSlash = flags.Contains("--etcd-leading-slash");
        if (leadingSlash && !KvBackend.IsEtcdV3(backend))
        {
            throw new UsageException("--etcd-leading-slash is for etcd's v3 keys only (ZooKeeper paths and etcd v2 keys always start with '/', Consul keys never do)");
        }

        return config with
        {
            BackendOptions = leadingSlash ? new EtcdOptions { LeadingSlash = true } : null,
            Username = options.GetValueOrDefault("--username"),
            Password = options.GetValueOrDefault("--password"),
            Token = options.GetValueOrDefault("--token"),
        };
    }

    /// <summary>Each backend's usual local address, so that a bare "kvctl --backend consul ls" works.</summary>
    public static KvStoreConfig Default(string backend) => new()
    {
        Backend = backend,
        Endpoints = [backend switch
        {
            KvBackend.Consul => "127.0.0.1:8500",
            KvBackend.ZooKeeper => "127.0.0.1:2181",
            _ => "127.0.0.1:2379",
        }],
    };
}
