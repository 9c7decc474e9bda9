using ContivKsr.Kv;
using ContivKsr.Kv.Consul;
using ContivKsr.Kv.EtcdGateway;
using ContivKsr.Kv.ZooKeeper;

namespace ContivKsr.Cni.LibKv;

/// <summary>Opens the cheapest reader each backend offers.</summary>
public static class KvReaders
{
    /// <exception cref="KvInvalidConfigException">Unknown backend or bad configuration.</exception>
    public static IKvReader Open(KvStoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return KvBackend.Parse(config.Backend) switch
        {
            // One HTTP/1.1 request to etcd's JSON gateway instead of a gRPC channel (DESIGN.md: 8 ms and
            // 7 MiB against 12 ms and 11 MiB per process).
            KvBackend.Etcd or KvBackend.EtcdV3 or KvBackend.EtcdV2 => EtcdReaders.Open(config),
            KvBackend.Consul => new KvStoreReader(ConsulStore.Open(config)),
            _ => new KvStoreReader(ZooKeeperStore.Open(config)),
        };
    }

    /// <summary>
    /// True when <paramref name="reader"/> bounds its connect, sends and receives with the store's
    /// connection timeout itself, so a caller needs no deadline token (and no timer thread) for it.
    /// </summary>
    public static bool BoundsItsOwnWaits(IKvReader reader) => reader is EtcdV3ThenV2Reader or EtcdGatewayReader or EtcdV2Reader;
}
