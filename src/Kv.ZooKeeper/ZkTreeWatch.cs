using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ContivKsr.ZooKeeper.Client;
using ContivKsr.ZooKeeper.Client.Protocol;

namespace ContivKsr.Kv.ZooKeeper;

/// <summary>
/// WatchTree(dir): one persistent recursive watch (addWatch, ZooKeeper 3.6+) on the directory's
/// node, set before the first listing so no change is missed; after every burst of events the
/// tree is listed again and the snapshot yielded when it differs from the last one.
/// </summary>
internal sealed class ZkTreeWatch(ZooKeeperStore store, string path)
{
    public async IAsyncEnumerable<IReadOnlyList<KvPair>> RunAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = Channel.CreateUnbounded<ZkWatcherEvent>();
        var client = store.Client;
        try
        {
            await store.CallAsync(path, async ct =>
            {
                await client.AddWatchAsync(path, recursive: true, events.Writer, ct);
                return true;
            }, idempotent: true, cancellationToken);
            IReadOnlyList<KvPair>? last = null;
            while (true)
            {
                var snapshot = await store.CallAsync(path, ct => ZkTreeReader.ListAsync(client, path, ct), idempotent: true, cancellationToken);
                if (last is null || !SameSnapshot(last, snapshot))
                {
                    last = snapshot;
                    yield return snapshot;
                }

                var expired = await WaitForChangeAsync(store, events.Reader, cancellationToken);
                if (expired)
                {
                    // A new session has no watches: set ours again before listing.
                    await store.CallAsync(path, async ct =>
                    {
                        await client.AddWatchAsync(path, recursive: true, events.Writer, ct);
                        return true;
                    }, idempotent: true, cancellationToken);
                }
            }
        }
        finally
        {
            await RemoveWatchAsync(client, events.Writer);
        }
    }

    private async Task RemoveWatchAsync(ZkClient client, ChannelWriter<ZkWatcherEvent> watcher)
    {
        try
        {
            using var deadline = new CancellationTokenSource(store.ConnectionTimeout);
            await client.RemovePersistentWatchAsync(path, recursive: true, watcher, deadline.Token);
        }
        catch (Exception error) when (error is ZkException or OperationCanceledException or ObjectDisposedException or TimeoutException)
        {
            // The server drops the watch with the session anyway.
        }
    }

    /// <summary>Waits for changes and takes every event already queued with them; true when the session expired.</summary>
    private static async Task<bool> WaitForChangeAsync(ZooKeeperStore store, ChannelReader<ZkWatcherEvent> reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = await store.NextEventAsync(reader, cancellationToken);
            var expired = next.State == ZkKeeperState.Expired && next.Type == ZkEventType.None;
            var changed = next.Type != ZkEventType.None;
            while (reader.TryRead(out var more))
            {
                expired |= more.State == ZkKeeperState.Expired && more.Type == ZkEventType.None;
                changed |= more.Type != ZkEventType.None;
            }

            if (expired || changed)
            {
                return expired;
            }
        }
    }

    private static bool SameSnapshot(IReadOnlyList<KvPair> a, IReadOnlyList<KvPair> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Key == p.Second.Key && p.First.LastIndex == p.Second.LastIndex && p.First.Value.AsSpan().SequenceEqual(p.Second.Value));
}
