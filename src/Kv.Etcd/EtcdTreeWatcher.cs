using System.Runtime.CompilerServices;
using Mvccpb;

namespace ContivKsr.Kv.Etcd;

/// <summary>WatchTree(dir): a full sorted snapshot first, then a new one after every watch answer with changes.</summary>
internal static class EtcdTreeWatcher
{
    public static async IAsyncEnumerable<IReadOnlyList<KvPair>> WatchAsync(EtcdConnection connection, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (start, end) = connection.Keys.PrefixRange(prefix);
        var (pairs, revision) = await EtcdRangeReader.ReadPrefixAsync(connection, prefix, cancellationToken).ConfigureAwait(false);
        var snapshot = new SortedDictionary<string, KvPair>(pairs.ToDictionary(p => p.Key, StringComparer.Ordinal), StringComparer.Ordinal);
        yield return snapshot.Values.ToArray();

        while (true)
        {
            var compacted = false;
            await foreach (var batch in EtcdWatchStream.ReadAsync(connection, start, end, revision + 1, cancellationToken).ConfigureAwait(false))
            {
                if (batch.Compacted)
                {
                    compacted = true;
                    break;
                }

                foreach (var change in batch.Events)
                {
                    var key = connection.Keys.KeyOf(change.Kv.Key);
                    if (change.Type == Event.Types.EventType.Delete)
                    {
                        snapshot.Remove(key);
                    }
                    else
                    {
                        snapshot[key] = connection.Keys.ToPair(change.Kv);
                    }
                }

                yield return snapshot.Values.ToArray();
            }

            if (!compacted)
            {
                yield break;
            }

            // The missed history is gone: take a fresh snapshot, and report it only if it differs.
            var (fresh, freshRevision) = await EtcdRangeReader.ReadPrefixAsync(connection, prefix, cancellationToken).ConfigureAwait(false);
            revision = freshRevision;
            if (!SameKeysAndRevisions(snapshot.Values, fresh))
            {
                snapshot = new SortedDictionary<string, KvPair>(fresh.ToDictionary(p => p.Key, StringComparer.Ordinal), StringComparer.Ordinal);
                yield return snapshot.Values.ToArray();
            }
        }
    }

    private static bool SameKeysAndRevisions(IEnumerable<KvPair> known, List<KvPair> fresh) =>
        known.Select(p => (p.Key, p.LastIndex)).SequenceEqual(fresh.Select(p => (p.Key, p.LastIndex)));
}
