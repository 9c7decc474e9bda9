using System.Runtime.CompilerServices;
using Google.Protobuf;
using Mvccpb;

namespace ContivKsr.Kv.Etcd;

/// <summary>Watch(key): the current value, then every change from the next revision on, ending with the deletion.</summary>
internal static class EtcdKeyWatcher
{
    public static async IAsyncEnumerable<KvWatchEvent> WatchAsync(EtcdConnection connection, string key, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (current, revision) = await EtcdReads.GetAsync(connection, key, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            throw new KvKeyNotFoundException(key);
        }

        yield return new KvWatchEvent(KvEventKind.Put, current);
        var bytes = connection.Keys.Bytes(key);
        while (true)
        {
            var compacted = false;
            await foreach (var batch in EtcdWatchStream.ReadAsync(connection, bytes, ByteString.Empty, revision + 1, cancellationToken).ConfigureAwait(false))
            {
                if (batch.Compacted)
                {
                    compacted = true;
                    break;
                }

                foreach (var change in batch.Events)
                {
                    if (change.Type == Event.Types.EventType.Delete)
                    {
                        yield return Deleted(key, change.Kv.ModRevision);
                        yield break;
                    }

                    current = connection.Keys.ToPair(change.Kv);
                    yield return new KvWatchEvent(KvEventKind.Put, current);
                }
            }

            if (!compacted)
            {
                yield break;
            }

            // The missed history is gone: compare with the present and go on from there.
            var (now, nowRevision) = await EtcdReads.GetAsync(connection, key, cancellationToken).ConfigureAwait(false);
            if (now is null)
            {
                yield return Deleted(key, nowRevision);
                yield break;
            }

            if (now.LastIndex != current.LastIndex)
            {
                current = now;
                yield return new KvWatchEvent(KvEventKind.Put, current);
            }

            revision = nowRevision;
        }
    }

    private static KvWatchEvent Deleted(string key, long revision) => new(KvEventKind.Delete, new KvPair(key, [], revision));
}
