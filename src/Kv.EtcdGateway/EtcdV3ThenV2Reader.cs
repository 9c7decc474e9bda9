namespace ContivKsr.Kv.EtcdGateway;

/// <summary>
/// storeBackend "etcd" for readers: the v3 key, and only when it is missing the v2 key of the same
/// path, as the Go libkv (docker/libkv's etcd v2 client) and <c>etcdctl set</c> wrote it. A v3 hit
/// costs exactly what <see cref="EtcdGatewayReader"/> alone costs; a miss costs one more request on
/// the same channel (a fresh connection: keeping one would cost every v3 hit HttpClient's pool timer).
/// A server without the v2 API answers that request with a plain 404 at once, and the v3 miss stands.
/// </summary>
public sealed class EtcdV3ThenV2Reader : IKvReader
{
    private readonly EtcdHttpChannel channel;
    private readonly EtcdGatewayReader v3;
    private readonly EtcdV2Reader v2;

    /// <exception cref="KvInvalidConfigException">Bad endpoints or TLS files.</exception>
    public EtcdV3ThenV2Reader(KvStoreConfig config)
    {
        channel = new EtcdHttpChannel(config);
        v3 = new EtcdGatewayReader(channel, ownsChannel: false);
        v2 = new EtcdV2Reader(channel, ownsChannel: false);
    }

    public string Backend => channel.Config.Backend;

    public KvPair Get(string key, CancellationToken cancellationToken = default)
    {
        KvKeyNotFoundException missing;
        try
        {
            return v3.Get(key, cancellationToken);
        }
        catch (KvKeyNotFoundException e)
        {
            missing = e;
        }

        return v2.Find(missing.Key, cancellationToken) ?? throw missing;
    }

    public void Dispose() => channel.Dispose();
}
