using ContivKsr.Kv.Etcd.Core;
using Etcdserverpb;
using Google.Protobuf;

namespace ContivKsr.Kv.Etcd;

/// <summary>
/// IKvStore over etcd v3 (gRPC, via dotnet-etcd's protocol clients). Keys are stored normalised
/// (with a leading '/' when <see cref="EtcdOptions.LeadingSlash"/> is set, see <see cref="EtcdKeys"/>);
/// LastIndex is the key's mod_revision; compare-and-swap and multi-key writes are etcd Txns; TTLs
/// are leases. Nothing connects until the first call.
/// </summary>
public sealed class EtcdStore : IKvStore
{
    private readonly EtcdConnection connection;

    private EtcdStore(EtcdConnection connection) => this.connection = connection;

    public string Backend => KvBackend.Etcd;

    /// <exception cref="KvInvalidConfigException">Bad endpoints, timeout, TLS files or credentials.</exception>
    public static IKvStore Open(KvStoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new EtcdStore(new EtcdConnection(config));
    }

    public async Task<KvPair> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var normalized = EtcdKey.Normalize(key);
        var (pair, _) = await EtcdReads.GetAsync(connection, normalized, cancellationToken).ConfigureAwait(false);
        return pair ?? throw new KvKeyNotFoundException(normalized);
    }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var normalized = EtcdKey.Normalize(key);
        var lease = await EtcdLeases.GrantForAsync(connection, options?.Ttl, cancellationToken).ConfigureAwait(false);
        var request = new PutRequest { Key = connection.Keys.Bytes(normalized), Value = ByteString.CopyFrom(value.Span), Lease = lease };
        await connection.CallAsync(o => connection.Kv.PutAsync(request, o), cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var normalized = EtcdKey.Normalize(key);
        var request = new DeleteRangeRequest { Key = connection.Keys.Bytes(normalized) };
        var response = await connection.CallAsync(o => connection.Kv.DeleteRangeAsync(request, o), cancellationToken).ConfigureAwait(false);
        if (response.Deleted == 0)
        {
            throw new KvKeyNotFoundException(normalized);
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        var request = new RangeRequest { Key = connection.Keys.Bytes(EtcdKey.Normalize(key)), CountOnly = true };
        var response = await connection.CallAsync(o => connection.Kv.RangeAsync(request, o), cancellationToken).ConfigureAwait(false);
        return response.Count > 0;
    }

    public async Task<IReadOnlyList<KvPair>> ListAsync(string directory, CancellationToken cancellationToken = default)
    {
        var (pairs, _) = await EtcdRangeReader.ReadPrefixAsync(connection, KvKey.DirectoryPrefix(directory), cancellationToken).ConfigureAwait(false);
        return pairs;
    }

    public async Task DeleteTreeAsync(string directory, CancellationToken cancellationToken = default)
    {
        var normalized = KvKey.Normalize(directory);
        var (start, end) = connection.Keys.PrefixRange(KvKey.DirectoryPrefix(normalized));
        var txn = new TxnRequest();
        txn.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = start, RangeEnd = end } });
        if (normalized.Length > 0)
        {
            // The directory key itself ("dir") lies outside the "dir/" range; one Txn removes both.
            txn.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = connection.Keys.Bytes(normalized) } });
        }

        await connection.CallAsync(o => connection.Kv.TxnAsync(txn, o), cancellationToken).ConfigureAwait(false);
    }

    public Task<KvPair> AtomicPutAsync(string key, ReadOnlyMemory<byte> value, KvPair? previous, KvWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        EtcdAtomic.PutAsync(connection, EtcdKey.Normalize(key), value, previous, options, cancellationToken);

    public Task AtomicDeleteAsync(string key, KvPair previous, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(previous);
        return EtcdAtomic.DeleteAsync(connection, EtcdKey.Normalize(key), previous, cancellationToken);
    }

    public IAsyncEnumerable<KvWatchEvent> WatchAsync(string key, CancellationToken cancellationToken = default) =>
        EtcdKeyWatcher.WatchAsync(connection, EtcdKey.Normalize(key), cancellationToken);

    public IAsyncEnumerable<IReadOnlyList<KvPair>> WatchTreeAsync(string directory, CancellationToken cancellationToken = default) =>
        EtcdTreeWatcher.WatchAsync(connection, KvKey.DirectoryPrefix(directory), cancellationToken);

    public IKvLock NewLock(string key, KvLockOptions? options = null) =>
        new EtcdLock(connection, EtcdKey.Normalize(key), options ?? new KvLockOptions());

    public Task WriteBatchAsync(IReadOnlyList<KvOperation> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return EtcdBatchWriter.WriteAsync(connection, operations, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        connection.Dispose();
        return ValueTask.CompletedTask;
    }
}
