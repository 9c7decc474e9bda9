using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ContivKsr.ZooKeeper.Client.Protocol;

namespace ContivKsr.Kv.ZooKeeper;

/// <summary>
/// Watch(key): a one-shot data watch set by every read and re-armed after each event. ZooKeeper
/// may fold several quick writes into one event; the value read after it is always the latest.
/// The watch ends with a Delete event when the node is deleted or stops being a key.
/// </summary>
internal sealed class ZkKeyWatch(ZooKeeperStore store, string path)
{
    public async IAsyncEnumerable<KvWatchEvent> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = ZkPaths.ToKey(path);
        var events = Channel.CreateUnbounded<ZkWatcherEvent>();
        try
        {
            KvPair? last = null;
            while (true)
            {
                var current = await store.CallAsync(path, ct => store.TryGetAsync(path, ct, events.Writer), idempotent: true, cancellationToken);
                if (current is null)
                {
                    if (last is null)
                    {
                        throw new KvKeyNotFoundException(key);
                    }

                    yield return new KvWatchEvent(KvEventKind.Delete, new KvPair(key, [], last.LastIndex));
                    yield break;
                }

                if (last is null || current.LastIndex != last.LastIndex)
                {
                    last = current;
                    yield return new KvWatchEvent(KvEventKind.Put, current);
                }

                var change = await NextRelevantAsync(store, events.Reader, cancellationToken);
                if (change.Type == ZkEventType.NodeDeleted)
                {
                    yield return new KvWatchEvent(KvEventKind.Delete, new KvPair(key, [], last.LastIndex));
                    yield break;
                }
            }
        }
        finally
        {
            store.Client.Unwatch(events.Writer);
        }
    }

    /// <summary>Waits for a change of the node, or a new session; a mere disconnection is not one (the watch is re-armed on reconnect).</summary>
    private static async Task<ZkWatcherEvent> NextRelevantAsync(ZooKeeperStore store, ChannelReader<ZkWatcherEvent> reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = await store.NextEventAsync(reader, cancellationToken);
            if (next.Type != ZkEventType.None || next.State == ZkKeeperState.Expired)
            {
                return next;
            }
        }
    }
}
