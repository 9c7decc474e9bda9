using System.Diagnostics;
using System.Threading.Channels;
using ContivKsr.ZooKeeper.Client;
using ContivKsr.ZooKeeper.Client.Protocol;

namespace ContivKsr.Kv.ZooKeeper;

/// <summary>
/// IKvStore on ZooKeeper, through this folder's own protocol client. A key "a/b" is the znode
/// "/a/b" (under the chroot, if the uri has one); parents are created as needed with empty data
/// and are not keys themselves (see <see cref="ZkValueCodec"/>). LastIndex is the node's data
/// version + 1. TTL keys are ZooKeeper TTL nodes; locks are ephemeral sequential children.
/// See docs/zookeeper.md.
/// </summary>
public sealed class ZooKeeperStore : IKvStore
{
    /// <summary>
    /// Requested session timeout: how long ephemeral nodes (locks) outlive a holder that vanished
    /// without closing its session, and how long a reconnect may take without losing the session.
    /// The server clamps it to [2, 20] × its tickTime.
    /// </summary>
    public static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(10);

    private const int MaxAttempts = 20;

    private readonly ZkClient client;
    private readonly TimeSpan connectionTimeout;
    private int chrootReady;

    private ZooKeeperStore(ZkClient client, TimeSpan connectionTimeout)
    {
        this.client = client;
        this.connectionTimeout = connectionTimeout;
    }

    public string Backend => KvBackend.ZooKeeper;

    internal ZkClient Client => client;

    internal TimeSpan ConnectionTimeout => connectionTimeout;

    /// <summary>Opens the store; the connection is made in the background and every call waits for it at most the connection timeout.</summary>
    /// <exception cref="KvInvalidConfigException">Bad endpoints or unreadable TLS files.</exception>
    public static IKvStore Open(KvStoreConfig config) => Open(config, SessionTimeout);

    /// <summary>Opens the store asking for another session timeout (tests of session expiry).</summary>
    internal static ZooKeeperStore Open(KvStoreConfig config, TimeSpan sessionTimeout)
    {
        ArgumentNullException.ThrowIfNull(config);
        var connectString = AsConfigError(() => ZkConnectString.Parse(config.Endpoints));
        if (config.Password is not null && config.Username is null)
        {
            throw new KvInvalidConfigException("a ZooKeeper password needs a username (digest auth is user:password)");
        }

        var tls = config.Tls is { } files
            ? AsConfigError(() => ZkTls.FromPemFiles(files.CaFile, files.CertFile, files.KeyFile, files.InsecureSkipVerify))
            : null;
        var client = new ZkClient(connectString, sessionTimeout, config.ConnectionTimeout, config.Username, config.Password, tls);
        return new ZooKeeperStore(client, config.ConnectionTimeout);
    }

    public Task<KvPair> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = ZkPaths.ToPath(key);
        return CallAsync(path, async ct =>
        {
            var pair = await TryGetAsync(path, ct);
            return pair ?? throw new KvKeyNotFoundException(ZkPaths.ToKey(path));
        }, idempotent: true, cancellationToken);
    }

    public Task PutAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var path = ZkPaths.ToPath(key);
        RequireKey(path);
        var data = ZkValueCodec.Encode(value.Span);
        var ttl = options?.Ttl;
        return CallAsync(path, async ct =>
        {
            await PutAsync(path, data, ttl, ct);
            return true;
        }, idempotent: true, cancellationToken);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = ZkPaths.ToPath(key);
        return CallAsync(path, async ct =>
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var stat = await client.ExistsAsync(path, null, ct);
                if (stat is null || !ZkValueCodec.IsKey(stat.DataLength))
                {
                    throw new KvKeyNotFoundException(ZkPaths.ToKey(path));
                }

                if (await TryRemoveKeyAsync(path, stat, ct))
                {
                    return true;
                }
            }

            throw new KvException($"ZooKeeper: could not delete '{ZkPaths.ToKey(path)}' under concurrent changes");
        }, idempotent: true, cancellationToken);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = ZkPaths.ToPath(key);
        return CallAsync(path, async ct =>
        {
            var stat = await client.ExistsAsync(path, null, ct);
            return stat is not null && ZkValueCodec.IsKey(stat.DataLength);
        }, idempotent: true, cancellationToken);
    }

    public Task<IReadOnlyList<KvPair>> ListAsync(string directory, CancellationToken cancellationToken = default)
    {
        var path = ZkPaths.ToPath(directory);
        return CallAsync(path, ct => ZkTreeReader.ListAsync(client, path, ct), idempotent: true, cancellationToken);
    }

    public Task DeleteTreeAsync(string directory, CancellationToken cancellationToken = default)
    {
        var path = ZkPaths.ToPath(directory);
        return CallAsync(path, async ct =>
        {
            await ZkTreeReader.DeleteTreeAsync(client, path, ct);
            return true;
        }, idempotent: true, cancellationToken);
    }

    public Task<KvPair> AtomicPutAsync(string key, ReadOnlyMemory<byte> value, KvPair? previous, KvWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var path = ZkPaths.ToPath(key);
        RequireKey(path);
        var data = ZkValueCodec.Encode(value.Span);
        var stored = value.ToArray();
        var ttl = options?.Ttl;
        return CallAsync(path, async ct =>
        {
            if (previous is null)
            {
                var created = await CreateOnlyAsync(path, data, ttl, ct);
                return new KvPair(ZkPaths.ToKey(path), stored, created.Version + 1L);
            }

            var expected = ExpectedVersion(previous);
            try
            {
                var stat = await client.SetDataAsync(path, data, expected, ct);
                return new KvPair(ZkPaths.ToKey(path), stored, stat.Version + 1L);
            }
            catch (ZkException error) when (error.Code is ZkErrorCode.BadVersion or ZkErrorCode.NoNode)
            {
                throw new KvKeyModifiedException(ZkPaths.ToKey(path), error) { BackendCode = ((int)error.Code).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            }
        }, idempotent: false, cancellationToken);
    }

    public Task AtomicDeleteAsync(string key, KvPair previous, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var path = ZkPaths.ToPath(key);
        return CallAsync(path, async ct =>
        {
            var expected = ExpectedVersion(previous);
            var stat = await client.ExistsAsync(path, null, ct);
            if (stat is null || !ZkValueCodec.IsKey(stat.DataLength))
            {
                throw new KvKeyNotFoundException(ZkPaths.ToKey(path));
            }

            if (stat.Version != expected)
            {
                throw new KvKeyModifiedException(ZkPaths.ToKey(path)) { BackendCode = ((int)ZkErrorCode.BadVersion).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            }

            try
            {
                if (!await TryRemoveKeyAsync(path, stat, ct))
                {
                    throw new KvKeyModifiedException(ZkPaths.ToKey(path));
                }
            }
            catch (ZkException error) when (error.Code == ZkErrorCode.NoNode)
            {
                throw new KvKeyNotFoundException(ZkPaths.ToKey(path), error);
            }

            return true;
        }, idempotent: false, cancellationToken);
    }

    public IAsyncEnumerable<KvWatchEvent> WatchAsync(string key, CancellationToken cancellationToken = default) =>
        new ZkKeyWatch(this, ZkPaths.ToPath(key)).RunAsync(cancellationToken);

    public IAsyncEnumerable<IReadOnlyList<KvPair>> WatchTreeAsync(string directory, CancellationToken cancellationToken = default) =>
        new ZkTreeWatch(this, ZkPaths.ToPath(directory)).RunAsync(cancellationToken);

    public IKvLock NewLock(string key, KvLockOptions? options = null)
    {
        var path = ZkPaths.ToPath(key);
        RequireKey(path);
        return new ZkLock(this, path, options ?? new KvLockOptions());
    }

    public Task WriteBatchAsync(IReadOnlyList<KvOperation> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count == 0)
        {
            return Task.CompletedTask;
        }

        return CallAsync("/", async ct =>
        {
            await new ZkBatchWriter(this).WriteAsync(operations, ct);
            return true;
        }, idempotent: true, cancellationToken);
    }

    public ValueTask DisposeAsync() => client.DisposeAsync();

    /// <summary>The key at <paramref name="path"/>, or null when there is no node or only a parent.</summary>
    internal async Task<KvPair?> TryGetAsync(string path, CancellationToken cancellationToken, ChannelWriter<ZkWatcherEvent>? watcher = null)
    {
        try
        {
            var node = await client.GetDataAsync(path, watcher, cancellationToken);
            var value = ZkValueCodec.Decode(node.Data);
            return value is null ? null : new KvPair(ZkPaths.ToKey(path), value, node.Stat.Version + 1L);
        }
        catch (ZkException error) when (error.Code == ZkErrorCode.NoNode)
        {
            return null;
        }
    }

    /// <summary>The client's next notification for a watcher; a closed store ends the wait with a KvException.</summary>
    internal async Task<ZkWatcherEvent> NextEventAsync(ChannelReader<ZkWatcherEvent> reader, CancellationToken cancellationToken)
    {
        try
        {
            return await client.NextEventAsync(reader, cancellationToken);
        }
        catch (ObjectDisposedException error)
        {
            throw ZkErrorMapping.ToKvException(error, "");
        }
    }

    /// <summary>
    /// Runs a store call: retries it while the connection is being re-established (idempotent calls
    /// only, within the connection timeout), and turns every failure into a KvException.
    /// </summary>
    internal async Task<T> CallAsync<T>(string path, Func<CancellationToken, Task<T>> call, bool idempotent, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call(cancellationToken);
            }
            catch (ZkException error) when (error.Code == ZkErrorCode.ConnectionLoss && idempotent && clock.Elapsed < connectionTimeout)
            {
                // The connection broke under this call; the session reconnects, and the call is safe to repeat.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception error) when (error is ZkException or ZkProtocolException or IOException or ObjectDisposedException or TimeoutException or System.Net.Sockets.SocketException)
            {
                throw ZkErrorMapping.ToKvException(error, ZkPaths.ToKey(path));
            }
        }
    }

    /// <summary>Creates every missing ancestor of <paramref name="path"/> as a parent-only node (and the chroot, if needed).</summary>
    internal async Task EnsureParentsAsync(string path, CancellationToken cancellationToken)
    {
        await EnsureChrootAsync(cancellationToken);
        foreach (var ancestor in ZkPaths.Ancestors(path))
        {
            try
            {
                await client.CreateAsync(ancestor, ReadOnlyMemory<byte>.Empty, ZkCreateMode.Persistent, cancellationToken: cancellationToken);
            }
            catch (ZkException error) when (error.Code == ZkErrorCode.NodeExists)
            {
            }
        }
    }

    /// <summary>Creates the chroot node (and its parents) once, so that a fresh chroot works like a fresh server.</summary>
    internal async Task EnsureChrootAsync(CancellationToken cancellationToken)
    {
        if (client.Chroot.Length == 0 || Volatile.Read(ref chrootReady) == 1)
        {
            return;
        }

        foreach (var node in ZkPaths.Ancestors(client.Chroot).Append(client.Chroot))
        {
            try
            {
                await client.CreateUnrootedAsync(node, cancellationToken);
            }
            catch (ZkException error) when (error.Code == ZkErrorCode.NodeExists)
            {
            }
        }

        Volatile.Write(ref chrootReady, 1);
    }

    /// <summary>
    /// Removes a key: deletes its node, or, when the node has children (it is also a directory),
    /// empties its data so that it stays only as their parent. False when the node changed meanwhile.
    /// </summary>
    internal async Task<bool> TryRemoveKeyAsync(string path, ZkStat stat, CancellationToken cancellationToken)
    {
        try
        {
            if (stat.NumChildren > 0)
            {
                await client.SetDataAsync(path, ReadOnlyMemory<byte>.Empty, stat.Version, cancellationToken);
            }
            else
            {
                await client.DeleteAsync(path, stat.Version, cancellationToken);
            }

            return true;
        }
        catch (ZkException error) when (error.Code is ZkErrorCode.BadVersion or ZkErrorCode.NotEmpty)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes the node, or creates it (and missing parents) when it does not exist; a write keeps
    /// the node's kind. A new key with a TTL is a ZooKeeper TTL node (CreateMode
    /// PERSISTENT_WITH_TTL): the server deletes it once it has not been written for the TTL and has
    /// no children, so every write renews it. ZooKeeper does not show clients which nodes are TTL
    /// nodes, so a write to an existing key neither adds nor removes a TTL (see docs/zookeeper.md).
    /// </summary>
    private async Task PutAsync(string path, byte[] data, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        var mode = ttl is null ? ZkCreateMode.Persistent : ZkCreateMode.PersistentWithTtl;
        var ttlMs = ttl is { } lifetime ? TtlMilliseconds(lifetime) : 0;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            try
            {
                await client.SetDataAsync(path, data, -1, cancellationToken);
                return;
            }
            catch (ZkException error) when (error.Code == ZkErrorCode.NoNode)
            {
                if (await TryCreateAsync(path, data, mode, ttlMs, cancellationToken))
                {
                    return;
                }
            }
        }

        throw new KvException($"ZooKeeper: could not write '{ZkPaths.ToKey(path)}' under concurrent changes");
    }

    /// <summary>Creates the node (and missing parents); false when someone else created it first.</summary>
    private async Task<bool> TryCreateAsync(string path, byte[] data, ZkCreateMode mode, long ttlMs, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                await client.CreateAsync(path, data, mode, ttlMs, cancellationToken);
                return true;
            }
            catch (ZkException error) when (error.Code == ZkErrorCode.NodeExists)
            {
                return false;
            }
            catch (ZkException error) when (error.Code == ZkErrorCode.NoNode && attempt == 0)
            {
                await EnsureParentsAsync(path, cancellationToken);
            }
        }

        return false;
    }

    /// <summary>Create-only: makes the key unless it exists. A parent-only node there is not a key, so it is filled in.</summary>
    private async Task<ZkStat> CreateOnlyAsync(string path, byte[] data, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        var mode = ttl is null ? ZkCreateMode.Persistent : ZkCreateMode.PersistentWithTtl;
        var ttlMs = ttl is { } lifetime ? TtlMilliseconds(lifetime) : 0;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            try
            {
                return (await client.CreateAsync(path, data, mode, ttlMs, cancellationToken)).Stat;
            }
            catch (ZkException error) when (error.Code == ZkErrorCode.NoNode)
            {
                await EnsureParentsAsync(path, cancellationToken);
                continue;
            }
            catch (ZkException error) when (error.Code == ZkErrorCode.NodeExists)
            {
                var stat = await client.ExistsAsync(path, null, cancellationToken);
                if (stat is null)
                {
                    continue;
                }

                if (ZkValueCodec.IsKey(stat.DataLength))
                {
                    throw new KvKeyExistsException(ZkPaths.ToKey(path), error) { BackendCode = ((int)error.Code).ToString(System.Globalization.CultureInfo.InvariantCulture) };
                }

                try
                {
                    return await client.SetDataAsync(path, data, stat.Version, cancellationToken);
                }
                catch (ZkException raced) when (raced.Code is ZkErrorCode.BadVersion or ZkErrorCode.NoNode)
                {
                }
            }
        }

        throw new KvException($"ZooKeeper: could not create '{ZkPaths.ToKey(path)}' under concurrent changes");
    }

    private static int ExpectedVersion(KvPair previous)
    {
        // A LastIndex this backend did not hand out (0, or beyond int) can match no version.
        return previous.LastIndex is >= 1 and <= int.MaxValue ? (int)(previous.LastIndex - 1) : int.MinValue;
    }

    private static long TtlMilliseconds(TimeSpan ttl)
    {
        if (ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "a TTL must be positive");
        }

        return Math.Max(1, (long)ttl.TotalMilliseconds);
    }

    /// <summary>The client rejects a bad connect string or TLS file with an ArgumentException; the store calls it a config error.</summary>
    private static T AsConfigError<T>(Func<T> build)
    {
        try
        {
            return build();
        }
        catch (ArgumentException error)
        {
            throw new KvInvalidConfigException(error.Message, error);
        }
    }

    private static void RequireKey(string path)
    {
        if (path == "/")
        {
            throw new ArgumentException("the empty key names the root directory, not a key", nameof(path));
        }
    }
}
