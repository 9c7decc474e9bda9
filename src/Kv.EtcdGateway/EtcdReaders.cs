namespace ContivKsr.Kv.EtcdGateway;

/// <summary>Opens the reader of an etcd backend name over etcd's HTTP API (no gRPC).</summary>
public static class EtcdReaders
{
    /// <exception cref="KvInvalidConfigException">Not an etcd backend, or bad endpoints or TLS files.</exception>
    public static IKvReader Open(KvStoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return KvBackend.Parse(config.Backend) switch
        {
            KvBackend.Etcd => new EtcdV3ThenV2Reader(config),
            KvBackend.EtcdV3 => new EtcdGatewayReader(config),
            KvBackend.EtcdV2 => new EtcdV2Reader(config),
            var other => throw new KvInvalidConfigException($"'{other}' is not an etcd backend"),
        };
    }
}
