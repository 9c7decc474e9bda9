namespace ContivKsr.Kv;

/// <summary>
/// A key/value store, modelled on docker/libkv's <c>Store</c> (and kvtools/valkeyrie), made async.
/// Every backend (etcd, Consul, ZooKeeper) passes the same conformance suite, so callers may rely
/// on exactly what is written here and nothing backend-specific.
/// </summary>
/// <remarks>
/// Keys are normalised with <see cref="KvKey.Normalize"/>: <c>cni/x</c>, <c>/cni/x</c> and
/// <c>cni/x/</c> are one key. A "directory" is a key prefix followed by <c>/</c>; a directory
/// never matches a sibling that merely shares its prefix (<c>dir</c> does not contain <c>dirX</c>).
/// Every call fails with <see cref="KvNotReachableException"/> within the configured connection
/// timeout when the store cannot be reached, never hangs.
/// </remarks>
public interface IKvStore : IAsyncDisposable
{
    /// <summary>The backend's canonical name: "etcd", "etcdv2", "consul" or "zookeeper".</summary>
    string Backend { get; }

    /// <exception cref="KvKeyNotFoundException">The key does not exist.</exception>
    Task<KvPair> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Creates or overwrites a key. With <see cref="KvWriteOptions.Ttl"/> the key expires unless written again.</summary>
    Task PutAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <exception cref="KvKeyNotFoundException">The key does not exist.</exception>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Every key below <paramref name="directory"/>, recursively, sorted by key. Empty when there is none.</summary>
    Task<IReadOnlyList<KvPair>> ListAsync(string directory, CancellationToken cancellationToken = default);

    /// <summary>Deletes every key below <paramref name="directory"/> (and the directory key itself). No error when empty.</summary>
    Task DeleteTreeAsync(string directory, CancellationToken cancellationToken = default);

    /// <summary>
    /// Compare-and-swap. With <paramref name="previous"/> null the key is created only if it does not
    /// exist; otherwise it is written only if its <see cref="KvPair.LastIndex"/> still equals previous's.
    /// </summary>
    /// <returns>The pair as written, with its new <see cref="KvPair.LastIndex"/>.</returns>
    /// <exception cref="KvKeyExistsException">previous is null and the key exists.</exception>
    /// <exception cref="KvKeyModifiedException">The key changed (or vanished) since previous was read.</exception>
    Task<KvPair> AtomicPutAsync(string key, ReadOnlyMemory<byte> value, KvPair? previous, KvWriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes the key only if its <see cref="KvPair.LastIndex"/> still equals previous's.</summary>
    /// <exception cref="KvKeyNotFoundException">The key does not exist.</exception>
    /// <exception cref="KvKeyModifiedException">The key changed since previous was read.</exception>
    Task AtomicDeleteAsync(string key, KvPair previous, CancellationToken cancellationToken = default);

    /// <summary>
    /// Yields the key's current value first (<see cref="KvEventKind.Put"/>), then every change.
    /// When the key is deleted a single <see cref="KvEventKind.Delete"/> event is yielded and the
    /// sequence ends: a deletion is never silent. Cancel the token to stop watching.
    /// </summary>
    /// <exception cref="KvKeyNotFoundException">The key does not exist when the watch starts.</exception>
    IAsyncEnumerable<KvWatchEvent> WatchAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Yields a full snapshot of the directory (as <see cref="ListAsync"/> returns it, possibly
    /// empty) first, then a new full snapshot after every change below it.
    /// </summary>
    IAsyncEnumerable<IReadOnlyList<KvPair>> WatchTreeAsync(string directory, CancellationToken cancellationToken = default);

    /// <summary>A distributed mutual-exclusion lock on <paramref name="key"/>. Nothing is taken until <see cref="IKvLock.LockAsync"/>.</summary>
    IKvLock NewLock(string key, KvLockOptions? options = null);

    /// <summary>
    /// Applies many puts and deletes in as few round trips as the backend allows (etcd: one Txn per
    /// chunk within its op limit; Consul: /v1/txn with 64 ops; ZooKeeper: multi). Each chunk is
    /// atomic; the batch as a whole is not. Deleting a missing key is not an error.
    /// </summary>
    Task WriteBatchAsync(IReadOnlyList<KvOperation> operations, CancellationToken cancellationToken = default);
}
