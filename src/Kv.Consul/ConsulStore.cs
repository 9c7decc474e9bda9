namespace ContivKsr.Kv.Consul;

/// <summary>
/// <see cref="IKvStore"/> on Consul's KV HTTP API (/v1/kv, /v1/txn, /v1/session), with HttpClient and
/// source-generated JSON. LastIndex is the key's ModifyIndex. Keys are normalised without a leading
/// <c>/</c>, which Consul refuses. See docs/consul.md for the behaviour in detail.
/// </summary>
public sealed class ConsulStore : IKvStore
{
    private readonly ConsulHttpClient client;
    private readonly ConsulKvApi kv;
    private readonly ConsulSessionApi sessions;
    private readonly ConsulTtlKeys ttlKeys;
    private readonly ConsulWatcher watcher;
    private readonly ConsulTxnBatcher batcher;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ConsulLock, bool> locks = new();

    private ConsulStore(KvStoreConfig config)
    {
        client = new ConsulHttpClient(config);
        kv = new ConsulKvApi(client);
        sessions = new ConsulSessionApi(client);
        ttlKeys = new ConsulTtlKeys(kv, sessions);
        BlockingWait = ChooseBlockingWait(client.ConnectionTimeout);
        watcher = new ConsulWatcher(kv, BlockingWait);
        batcher = new ConsulTxnBatcher(kv);
    }

    public string Backend => KvBackend.Consul;

    /// <summary>The ?wait of blocking queries: short enough that a silent server is noticed soon.</summary>
    internal TimeSpan BlockingWait { get; }

    /// <exception cref="KvInvalidConfigException">Bad endpoint or unreadable TLS file.</exception>
    public static IKvStore Open(KvStoreConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ConsulStore(config);
    }

    public async Task<KvPair> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var normalized = NormalizeKey(key);
        var (entry, _) = await kv.GetAsync(normalized, 0, BlockingWait, cancellationToken).ConfigureAwait(false);
        return entry is null ? throw new KvKeyNotFoundException(normalized) : ToPair(entry);
    }

    public async Task PutAsync(string key, ReadOnlyMemory<byte> value, KvWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var normalized = NormalizeKey(key);
        if (options?.Ttl is { } ttl)
        {
            await ttlKeys.PutAsync(normalized, value, ttl, casIndex: null, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (value.Length > ConsulKvApi.MaxTxnValueBytes)
        {
            // Too big for a transaction body (base64 grows it by a third): a plain PUT of the raw bytes.
            await kv.PutAsync(normalized, value, "", cancellationToken).ConfigureAwait(false);
            await ttlKeys.ForgetAsync(normalized, value, cancellationToken).ConfigureAwait(false);
            return;
        }

        // "set" in a transaction rather than a plain PUT: its answer shows whether a session holds the
        // key (a TTL key, maybe written by another client), which a plain write would silently keep.
        var outcome = await kv.TxnAsync([new ConsulTxnKvOperation { Verb = "set", Key = normalized, Value = value.ToArray() }], cancellationToken).ConfigureAwait(false);
        if (!outcome.Committed)
        {
            throw new KvException($"Consul refused to write '{normalized}': {outcome.Describe()}");
        }

        if (outcome.Results.Count > 0 && outcome.Results[0].Session is { Length: > 0 } session)
        {
            await ttlKeys.MakePermanentAsync(normalized, value, session, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var normalized = NormalizeKey(key);
        // "get" fails the transaction when the key is missing, which a plain DELETE would not report.
        var outcome = await kv.TxnAsync(
            [
                new ConsulTxnKvOperation { Verb = "get", Key = normalized },
                new ConsulTxnKvOperation { Verb = "delete", Key = normalized },
            ],
            cancellationToken).ConfigureAwait(false);
        if (!outcome.Committed)
        {
            throw outcome.Errors.Any(e => e.OpIndex == 0)
                ? new KvKeyNotFoundException(normalized)
                : new KvException($"Consul refused to delete '{normalized}': {outcome.Describe()}");
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        var (entry, _) = await kv.GetAsync(NormalizeKey(key), 0, BlockingWait, cancellationToken).ConfigureAwait(false);
        return entry is not null;
    }

    public async Task<IReadOnlyList<KvPair>> ListAsync(string directory, CancellationToken cancellationToken = default)
    {
        var prefix = KvKey.DirectoryPrefix(directory);
        var (entries, _) = await kv.ListAsync(prefix, 0, BlockingWait, cancellationToken).ConfigureAwait(false);
        return ToSortedPairs(entries, prefix);
    }

    public async Task DeleteTreeAsync(string directory, CancellationToken cancellationToken = default)
    {
        var normalized = KvKey.Normalize(directory);
        // "dir/" as the tree prefix, so that a sibling "dirX" survives; the "dir" key itself goes too.
        List<ConsulTxnKvOperation> operations = normalized.Length == 0
            ? [new ConsulTxnKvOperation { Verb = "delete-tree", Key = "" }]
            :
            [
                new ConsulTxnKvOperation { Verb = "delete-tree", Key = normalized + "/" },
                new ConsulTxnKvOperation { Verb = "delete", Key = normalized },
            ];
        var outcome = await kv.TxnAsync(operations, cancellationToken).ConfigureAwait(false);
        if (!outcome.Committed)
        {
            throw new KvException($"Consul refused to delete the tree '{normalized}': {outcome.Describe()}");
        }
    }

    public async Task<KvPair> AtomicPutAsync(string key, ReadOnlyMemory<byte> value, KvPair? previous, KvWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var normalized = NormalizeKey(key);
        // Consul's cas index 0 means "create only if missing", exactly the contract of a null previous.
        var casIndex = previous is null ? 0UL : (ulong)Math.Max(previous.LastIndex, 0);
        if (previous is not null && casIndex == 0)
        {
            throw new KvKeyModifiedException(normalized);
        }

        if (options?.Ttl is { } ttl)
        {
            return ToPair(await ttlKeys.PutAsync(normalized, value, ttl, casIndex, cancellationToken).ConfigureAwait(false));
        }

        if (value.Length > ConsulKvApi.MaxTxnValueBytes)
        {
            return await LargeAtomicPutAsync(normalized, value, casIndex, cancellationToken).ConfigureAwait(false);
        }

        var outcome = await kv.TxnAsync(
            [new ConsulTxnKvOperation { Verb = "cas", Key = normalized, Value = value.ToArray(), Index = casIndex }],
            cancellationToken).ConfigureAwait(false);
        if (!outcome.Committed)
        {
            throw casIndex == 0 ? new KvKeyExistsException(normalized) : new KvKeyModifiedException(normalized);
        }

        var written = outcome.Results[0];
        return new KvPair(normalized, value.ToArray(), (long)written.ModifyIndex);
    }

    public async Task AtomicDeleteAsync(string key, KvPair previous, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var normalized = NormalizeKey(key);
        var outcome = await kv.TxnAsync(
            [
                new ConsulTxnKvOperation { Verb = "get", Key = normalized },
                new ConsulTxnKvOperation { Verb = "delete-cas", Key = normalized, Index = (ulong)Math.Max(previous.LastIndex, 0) },
            ],
            cancellationToken).ConfigureAwait(false);
        if (!outcome.Committed)
        {
            throw outcome.Errors.Any(e => e.OpIndex == 0)
                ? new KvKeyNotFoundException(normalized)
                : new KvKeyModifiedException(normalized);
        }
    }

    public IAsyncEnumerable<KvWatchEvent> WatchAsync(string key, CancellationToken cancellationToken = default) =>
        watcher.WatchAsync(NormalizeKey(key), cancellationToken);

    public IAsyncEnumerable<IReadOnlyList<KvPair>> WatchTreeAsync(string directory, CancellationToken cancellationToken = default) =>
        watcher.WatchTreeAsync(directory, cancellationToken);

    public IKvLock NewLock(string key, KvLockOptions? options = null)
    {
        var created = new ConsulLock(kv, sessions, NormalizeKey(key), options ?? new KvLockOptions(), BlockingWait, l => locks.TryRemove(l, out _));
        locks[created] = true;
        return created;
    }

    public Task WriteBatchAsync(IReadOnlyList<KvOperation> operations, CancellationToken cancellationToken = default) =>
        batcher.WriteAsync(operations, cancellationToken);

    /// <summary>Gives up the locks this store still holds (their keys go at once), then closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(locks.Keys.Select(l => l.AbandonAsync(client.ConnectionTimeout))).ConfigureAwait(false);
        locks.Clear();
        client.Dispose();
    }

    /// <summary>
    /// Compare-and-swap of a value too big for a transaction: PUT ?cas, then a read for the new
    /// ModifyIndex (which a PUT does not return). The swap itself is atomic; should another write
    /// land between the two calls, the index returned is already stale and a later swap fails safely.
    /// </summary>
    private async Task<KvPair> LargeAtomicPutAsync(string key, ReadOnlyMemory<byte> value, ulong casIndex, CancellationToken cancellationToken)
    {
        if (!await kv.PutAsync(key, value, $"cas={casIndex}", cancellationToken).ConfigureAwait(false))
        {
            throw casIndex == 0 ? new KvKeyExistsException(key) : new KvKeyModifiedException(key);
        }

        var (entry, _) = await kv.GetAsync(key, 0, BlockingWait, cancellationToken).ConfigureAwait(false);
        return new KvPair(key, value.ToArray(), entry is null ? long.MaxValue : (long)entry.ModifyIndex);
    }

    /// <summary>The normalised key; an empty one is refused (Consul has no key "").</summary>
    internal static string NormalizeKey(string key)
    {
        var normalized = KvKey.Normalize(key);
        return normalized.Length > 0 ? normalized : throw new ArgumentException("a key must not be empty", nameof(key));
    }

    internal static KvPair ToPair(ConsulKvEntry entry) => new(entry.Key, entry.Value ?? [], (long)entry.ModifyIndex);

    /// <summary>The entries strictly below <paramref name="prefix"/> (not a "dir/" folder key itself), sorted by key.</summary>
    internal static IReadOnlyList<KvPair> ToSortedPairs(IEnumerable<ConsulKvEntry> entries, string prefix) =>
        entries
            .Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal) && e.Key.Length > prefix.Length)
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(ToPair)
            .ToList();

    /// <summary>Three connection timeouts, within 1 s .. 5 min.</summary>
    private static TimeSpan ChooseBlockingWait(TimeSpan connectionTimeout) =>
        TimeSpan.FromTicks(Math.Clamp(connectionTimeout.Ticks * 3, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromMinutes(5).Ticks));
}
