using System.Text;
using ContivKsr.Kv.Etcd.Core;

namespace ContivKsr.Kv.EtcdGateway;

/// <summary>
/// The part of <see cref="IKvStore"/> that etcd's v2 keys API serves plainly: get, put (with TTL),
/// delete, exists and list, so that kvctl shows and edits what libkv reads with storeBackend "etcd"
/// or "etcdv2". Every other call throws <see cref="KvCallNotSupportedException"/>: v2 is etcd's
/// retired API, and new data belongs in v3. Values are text (v2 keeps strings), LastIndex is the
/// node's modifiedIndex, and listings skip v2's hidden keys (names starting with '_'), as etcd does.
/// The HTTP exchanges are the blocking ones of <see cref="EtcdHttpChannel"/>, run on the thread pool.
/// </summary>
public sealed class EtcdV2Store : IKvStore
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly EtcdHttpChannel channel;
    private readonly EtcdV2Client client;
    private readonly EtcdV2Reader reader;

    private EtcdV2Store(EtcdHttpChannel channel)
    {
        this.channel = channel;
        client = new EtcdV2Client(channel);
        reader = new EtcdV2Reader(channel, ownsChannel: false);
    }

    public string Backend => KvBackend.EtcdV2;

    /// <exception cref="KvInvalidConfigException">Bad endpoints or TLS files.</exception>
    public static IKvStore Open(KvStoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new EtcdV2Store(new EtcdHttpChannel(config));
    }

    public Task<KvPair> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Task.Run(() => reader.Get(key, cancellationToken), cancellationToken);

    /// <exception cref="ArgumentException">The value is not UTF-8 text.</exception>
    public Task PutAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var normalized = EtcdKey.Normalize(key);
        string text;
        try
        {
            text = StrictUtf8.GetString(value.Span);
        }
        catch (DecoderFallbackException e)
        {
            throw new ArgumentException($"etcd's v2 API stores text, and the value for '{normalized}' is not UTF-8", nameof(value), e);
        }

        var ttl = options?.Ttl is { } span ? EtcdKey.TtlSeconds(span) : (long?)null;
        return Task.Run(() => client.Set(normalized, text, ttl, cancellationToken), cancellationToken);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => Task.Run(() =>
    {
        var normalized = EtcdKey.Normalize(key);
        if (!client.Delete(normalized, cancellationToken))
        {
            throw new KvKeyNotFoundException(normalized);
        }
    }, cancellationToken);

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        Task.Run(() => client.Get(EtcdKey.Normalize(key), recursive: false, cancellationToken) is { Dir: false }, cancellationToken);

    public Task<IReadOnlyList<KvPair>> ListAsync(string directory, CancellationToken cancellationToken = default) => Task.Run(() =>
    {
        var pairs = new List<KvPair>();
        if (client.Get(KvKey.Normalize(directory), recursive: true, cancellationToken) is { Dir: true } node)
        {
            AddValues(node, pairs);
        }

        pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return (IReadOnlyList<KvPair>)pairs;
    }, cancellationToken);

    public Task DeleteTreeAsync(string directory, CancellationToken cancellationToken = default) => throw NotSupported("DeleteTree");

    public Task<KvPair> AtomicPutAsync(string key, ReadOnlyMemory<byte> value, KvPair? previous, KvWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        throw NotSupported("AtomicPut");

    public Task AtomicDeleteAsync(string key, KvPair previous, CancellationToken cancellationToken = default) => throw NotSupported("AtomicDelete");

    public IAsyncEnumerable<KvWatchEvent> WatchAsync(string key, CancellationToken cancellationToken = default) => throw NotSupported("Watch");

    public IAsyncEnumerable<IReadOnlyList<KvPair>> WatchTreeAsync(string directory, CancellationToken cancellationToken = default) => throw NotSupported("WatchTree");

    public IKvLock NewLock(string key, KvLockOptions? options = null) => throw NotSupported("NewLock");

    public Task WriteBatchAsync(IReadOnlyList<KvOperation> operations, CancellationToken cancellationToken = default) => throw NotSupported("WriteBatch");

    public ValueTask DisposeAsync()
    {
        channel.Dispose();
        return ValueTask.CompletedTask;
    }

    private static void AddValues(EtcdV2Node directory, List<KvPair> pairs)
    {
        foreach (var node in directory.Nodes ?? [])
        {
            if (node.Dir)
            {
                AddValues(node, pairs);
            }
            else
            {
                pairs.Add(new KvPair(EtcdV2Keys.KeyOf(node.Key), Encoding.UTF8.GetBytes(node.Value ?? ""), node.ModifiedIndex));
            }
        }
    }

    private static KvCallNotSupportedException NotSupported(string call) =>
        new($"{call} is not offered on etcd's v2 API (backend etcdv2: get, put, delete, exists and list only); use the v3 API (backend etcd)");
}
