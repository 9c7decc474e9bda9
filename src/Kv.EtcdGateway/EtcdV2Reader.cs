using ContivKsr.Kv.Etcd.Core;

namespace ContivKsr.Kv.EtcdGateway;

/// <summary>Reads single keys through etcd's v2 keys API (storeBackend "etcdv2").</summary>
public sealed class EtcdV2Reader : IKvReader
{
    private readonly EtcdHttpChannel channel;
    private readonly EtcdV2Client client;
    private readonly bool ownsChannel;

    /// <exception cref="KvInvalidConfigException">Bad endpoints or TLS files.</exception>
    public EtcdV2Reader(KvStoreConfig config)
        : this(new EtcdHttpChannel(config), ownsChannel: true)
    {
    }

    internal EtcdV2Reader(EtcdHttpChannel channel, bool ownsChannel)
    {
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        client = new EtcdV2Client(channel);
    }

    public string Backend => channel.Config.Backend;

    /// <exception cref="KvKeyNotFoundException">No v2 key of that name.</exception>
    /// <exception cref="KvCallNotSupportedException">The server does not serve the v2 API.</exception>
    /// <exception cref="KvException">The key is a v2 directory, or has no v2 name.</exception>
    public KvPair Get(string key, CancellationToken cancellationToken = default)
    {
        var normalized = EtcdKey.Normalize(key);
        return Pair(normalized, client.Get(normalized, recursive: false, cancellationToken))
            ?? throw new KvKeyNotFoundException(normalized);
    }

    /// <summary>
    /// The v2 value at a key, or null when the server has none there, not even the v2 API, or the
    /// key has no v2 name: the v2 half of storeBackend "etcd".
    /// </summary>
    internal KvPair? Find(string normalized, CancellationToken cancellationToken)
    {
        if (normalized.Length == 0 || !EtcdV2Keys.TryPathOf(normalized, out _))
        {
            return null;
        }

        try
        {
            return Pair(normalized, client.Get(normalized, recursive: false, cancellationToken));
        }
        catch (KvCallNotSupportedException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (ownsChannel)
        {
            channel.Dispose();
        }
    }

    /// <exception cref="KvException">The node is a directory.</exception>
    private static KvPair? Pair(string normalized, EtcdV2Node? node) => node switch
    {
        null => null,
        { Dir: true } => throw new KvException(
            $"etcd's v2 API has a directory at '/{normalized}', not a value; store the value at the key itself (etcdctl set)") { BackendCode = "102" },
        _ => new KvPair(normalized, System.Text.Encoding.UTF8.GetBytes(node.Value ?? ""), node.ModifiedIndex),
    };
}
