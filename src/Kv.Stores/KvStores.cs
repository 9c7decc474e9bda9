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
            // A full store is v3 for both names; the v2 fallback of "etcd" is a reader's (KvReaders).
            KvBackend.Etcd or KvBackend.EtcdV3 when Etcd.EtcdGrpcFeature.IsSupported => Etcd.EtcdStore.Open(config),
            KvBackend.EtcdV2 => Etcd.EtcdV2Store.Open(config),
            KvBackend.Consul => Consul.ConsulStore.Open(config),
            KvBackend.ZooKeeper => ZooKeeper.ZooKeeperStore.Open(config),
            var other => throw new KvCallNotSupportedException($"the {other} backend is not built into this version"),
        };
    }
}
