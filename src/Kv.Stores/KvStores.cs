using ContivKsr.Kv.Consul;
using ContivKsr.Kv.Etcd;
using ContivKsr.Kv.EtcdGateway;
using ContivKsr.Kv.ZooKeeper;

namespace ContivKsr.Kv.Stores;

/// <summary>Opens a store by its backend name; the one entry point that knows every backend.</summary>
public static class KvStores
{
    /// <exception cref="KvInvalidConfigException">Unknown backend or bad configuration.</exception>
    public static IKvStore Open(KvStoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return KvBackend.Parse(config.Backend) switch
        {
            // A full store is v3 for both names; the v2 fallback of "etcd" is a reader's (EtcdReaders).
            KvBackend.Etcd or KvBackend.EtcdV3 => EtcdStore.Open(config),
            KvBackend.EtcdV2 => EtcdV2Store.Open(config),
            KvBackend.Consul => ConsulStore.Open(config),
            KvBackend.ZooKeeper => ZooKeeperStore.Open(config),
            var other => throw new KvInvalidConfigException($"unknown store backend '{other}'"),
        };
    }
}
