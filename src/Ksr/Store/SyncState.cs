using ContivKsr.Ksr.Keys;
using ContivKsr.Ksr.Kinds;
using ContivKsr.Kv;

namespace ContivKsr.Ksr.Store;

/// <summary>
/// What the store should hold: the encoded value of every reflected object, by kind and key.
/// Every change goes through here and into the <see cref="StoreWriter"/> under one lock, so the
/// writer's queue always ends in the state held here, and a resync can compare the store against
/// it at any moment without racing the watch events. A value equivalent to the one held (see
/// <see cref="ValueEquivalence"/>) is no change: the bytes held, which are the store's, stay.
/// </summary>
public sealed class SyncState(StoreWriter writer, ValueEquivalence equivalence)
{
    private readonly object gate = new();
    private readonly Dictionary<ResourceKind, Dictionary<string, byte[]>> desired = [];
    // The sequence number of each key's last change, for keys changed since the last resync began.
    private readonly Dictionary<string, long> changedAt = new(StringComparer.Ordinal);
    // Keys whose held value is the store's bytes rather than our own encoding. Only those can
    // differ from ours in bytes and still be equivalent: our encoding of a message is always the same.
    private readonly HashSet<string> storeBytes = new(StringComparer.Ordinal);
    private long sequence;

    /// <summary>The number of the last change queued; a resync compares only keys changed no later than the one it read before listing.</summary>
    public long Sequence
    {
        get
        {
            lock (gate)
            {
                return sequence;
            }
        }
    }

    public enum Change
    {
        Unchanged,
        Added,
        Updated,
    }

    /// <summary>
    /// Starts a kind from what the store already holds, so that the first listing only writes what
    /// differs and deletes what Kubernetes no longer has (objects removed while KSR was down).
    /// </summary>
    public void Seed(ResourceKind kind, IEnumerable<KvPair> stored)
    {
        lock (gate)
        {
            desired[kind] = stored.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
            storeBytes.UnionWith(desired[kind].Keys);
        }
    }

    public Change Upsert(ResourceKind kind, string key, byte[] value)
    {
        lock (gate)
        {
            var values = ValuesOf(kind);
            if (values.TryGetValue(key, out var existing) && Same(kind, key, existing, value))
            {
                return Change.Unchanged;
            }

            values[key] = value;
            storeBytes.Remove(key);
            Enqueue(KvOperation.Put(key, value));
            return existing is null ? Change.Added : Change.Updated;
        }
    }

    /// <summary>Deletes the key whether or not it was known: a delete must never be lost.</summary>
    public bool Remove(ResourceKind kind, string key)
    {
        lock (gate)
        {
            var known = ValuesOf(kind).Remove(key);
            storeBytes.Remove(key);
            Enqueue(KvOperation.Delete(key));
            return known;
        }
    }

    /// <summary>Replaces a kind with a fresh listing: writes what changed, deletes what is gone.</summary>
    public SyncCounts Replace(ResourceKind kind, IReadOnlyDictionary<string, byte[]> listed)
    {
        lock (gate)
        {
            var counts = new SyncCounts();
            var values = ValuesOf(kind);
            foreach (var stale in values.Keys.Where(key => !listed.ContainsKey(key)).ToList())
            {
                values.Remove(stale);
                storeBytes.Remove(stale);
                Enqueue(KvOperation.Delete(stale));
                counts.Deleted++;
            }

            foreach (var (key, value) in listed)
            {
                switch (Upsert(kind, key, value))
                {
                    case Change.Added:
                        counts.Added++;
                        break;
                    case Change.Updated:
                        counts.Updated++;
                        break;
                }
            }

            return counts;
        }
    }

    /// <summary>
    /// Compares a listing of the store with what it should hold and queues the difference, per kind.
    /// Keys of other kinds, and keys that are no KSR key at all, are left alone. So are keys changed
    /// after change <paramref name="listedAfter"/>: the listing may predate their write, which is
    /// queued anyway, and writing them again would only repeat it.
    /// </summary>
    /// <param name="kinds">The kinds to compare.</param>
    /// <param name="stored">The listing of the store.</param>
    /// <param name="layout">The key layout, to tell the kinds apart.</param>
    /// <param name="listedAfter">The <see cref="Sequence"/> read before the listing, once every change up to it was written.</param>
    public IReadOnlyDictionary<ResourceKind, SyncCounts> Reconcile(IReadOnlyCollection<ResourceKind> kinds, IReadOnlyList<KvPair> stored, KeyLayout layout, long listedAfter)
    {
        var storedByKind = kinds.ToDictionary(kind => kind, _ => new Dictionary<string, byte[]>(StringComparer.Ordinal));
        foreach (var pair in stored)
        {
            if (layout.TryParse(pair.Key, out var parsed) && storedByKind.TryGetValue(parsed.Kind, out var ofKind))
            {
                ofKind[pair.Key] = pair.Value;
            }
        }

        lock (gate)
        {
            var result = new Dictionary<ResourceKind, SyncCounts>();
            foreach (var (kind, inStore) in storedByKind)
            {
                var counts = new SyncCounts();
                var values = ValuesOf(kind);
                var adopted = new List<KeyValuePair<string, byte[]>>();
                foreach (var (key, value) in values)
                {
                    if (ChangedAfter(key, listedAfter))
                    {
                        continue;
                    }

                    if (!inStore.TryGetValue(key, out var storedValue))
                    {
                        Enqueue(KvOperation.Put(key, value));
                        counts.Added++;
                    }
                    else if (storedValue.AsSpan().SequenceEqual(value))
                    {
                        continue;
                    }
                    else if (equivalence.Equivalent(kind, storedValue, value))
                    {
                        adopted.Add(new(key, storedValue));
                    }
                    else
                    {
                        Enqueue(KvOperation.Put(key, value));
                        counts.Updated++;
                    }
                }

                // Holding the store's bytes makes the next comparison a byte comparison again.
                foreach (var (key, storedValue) in adopted)
                {
                    values[key] = storedValue;
                    storeBytes.Add(key);
                }

                foreach (var stale in inStore.Keys.Where(key => !values.ContainsKey(key) && !ChangedAfter(key, listedAfter)).ToList())
                {
                    Enqueue(KvOperation.Delete(stale));
                    counts.Deleted++;
                }

                result[kind] = counts;
            }

            // No later resync looks at changes this one has covered.
            foreach (var key in changedAt.Where(pair => pair.Value <= listedAfter).Select(pair => pair.Key).ToList())
            {
                changedAt.Remove(key);
            }

            return result;
        }
    }

    private void Enqueue(KvOperation operation)
    {
        changedAt[operation.Key] = ++sequence;
        writer.Enqueue(operation);
    }

    private bool Same(ResourceKind kind, string key, byte[] held, byte[] value) =>
        held.AsSpan().SequenceEqual(value) || (storeBytes.Contains(key) && equivalence.Equivalent(kind, held, value));

    private bool ChangedAfter(string key, long listedAfter) => changedAt.TryGetValue(key, out var at) && at > listedAfter;

    private Dictionary<string, byte[]> ValuesOf(ResourceKind kind)
    {
        if (!desired.TryGetValue(kind, out var values))
        {
            values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            desired[kind] = values;
        }

        return values;
    }
}

/// <summary>How many keys one listing or resync added, updated and deleted.</summary>
public sealed class SyncCounts
{
    public int Added { get; set; }

    public int Updated { get; set; }

    public int Deleted { get; set; }

    public int Total => Added + Updated + Deleted;

    public override string ToString() => $"{Added} added, {Updated} updated, {Deleted} deleted";
}
