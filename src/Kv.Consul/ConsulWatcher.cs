using System.Runtime.CompilerServices;

namespace ContivKsr.Kv.Consul;

/// <summary>
/// Watch and WatchTree as loops of blocking queries (GET with ?index and ?wait), following
/// <see cref="ConsulBlockingCursor"/>'s index rules. A blocking answer is no proof of a change
/// (Consul also answers when the wait ends), so events are only yielded when the key's
/// ModifyIndex, or the directory's set of (key, ModifyIndex), really differs from the last one.
/// </summary>
/// <remarks>
/// Consul keeps only the latest value of a key, so changes that happen between two answers are
/// seen as one. A server that goes away ends the watch with <see cref="KvNotReachableException"/>.
/// </remarks>
internal sealed class ConsulWatcher(ConsulKvApi kv, TimeSpan blockingWait)
{
    public async IAsyncEnumerable<KvWatchEvent> WatchAsync(string key, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (entry, index) = await kv.GetAsync(key, 0, blockingWait, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            throw new KvKeyNotFoundException(key);
        }

        yield return new KvWatchEvent(KvEventKind.Put, ConsulStore.ToPair(entry));
        var lastModifyIndex = entry.ModifyIndex;
        var cursor = new ConsulBlockingCursor(index);
        while (true)
        {
            await cursor.PaceAsync(cancellationToken).ConfigureAwait(false);
            (entry, index) = await kv.GetAsync(key, cursor.Index, blockingWait, cancellationToken).ConfigureAwait(false);
            cursor.Advance(index);
            if (entry is null)
            {
                yield return new KvWatchEvent(KvEventKind.Delete, new KvPair(key, [], (long)Math.Max(index, 1)));
                yield break;
            }

            if (entry.ModifyIndex != lastModifyIndex)
            {
                lastModifyIndex = entry.ModifyIndex;
                yield return new KvWatchEvent(KvEventKind.Put, ConsulStore.ToPair(entry));
            }
        }
    }

    public async IAsyncEnumerable<IReadOnlyList<KvPair>> WatchTreeAsync(string directory, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = KvKey.DirectoryPrefix(directory);
        var (entries, index) = await kv.ListAsync(prefix, 0, blockingWait, cancellationToken).ConfigureAwait(false);
        var snapshot = ConsulStore.ToSortedPairs(entries, prefix);
        yield return snapshot;
        var cursor = new ConsulBlockingCursor(index);
        while (true)
        {
            await cursor.PaceAsync(cancellationToken).ConfigureAwait(false);
            (entries, index) = await kv.ListAsync(prefix, cursor.Index, blockingWait, cancellationToken).ConfigureAwait(false);
            cursor.Advance(index);
            var next = ConsulStore.ToSortedPairs(entries, prefix);
            if (!SameVersions(snapshot, next))
            {
                snapshot = next;
                yield return snapshot;
            }
        }
    }

    private static bool SameVersions(IReadOnlyList<KvPair> a, IReadOnlyList<KvPair> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (a[i].Key != b[i].Key || a[i].LastIndex != b[i].LastIndex)
            {
                return false;
            }
        }

        return true;
    }
}
