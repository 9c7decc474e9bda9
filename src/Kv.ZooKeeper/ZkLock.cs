using System.Globalization;
using System.Threading.Channels;
using ContivKsr.ZooKeeper.Client;
using ContivKsr.ZooKeeper.Client.Protocol;

namespace ContivKsr.Kv.ZooKeeper;

/// <summary>
/// ZooKeeper's lock recipe: each contender creates an ephemeral sequential child
/// "__kvlock-{guid}-NNNNNNNNNN" of the lock key's node (holding the lock's value); the lowest sequence
/// number holds the lock, every other contender watches only its predecessor (no herd). The node
/// lives as long as the session: closing the store releases at once, a vanished holder after the
/// session timeout. The lock's TTL therefore is the session timeout, renewed by the session's pings.
/// </summary>
internal sealed class ZkLock(ZooKeeperStore store, string lockPath, KvLockOptions options) : IKvLock
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private string? ownPath;
    private CancellationTokenSource? lost;
    private CancellationTokenSource? monitorStop;
    private Task? monitor;

    public async Task<CancellationToken> LockAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (ownPath is not null && lost is { IsCancellationRequested: false })
            {
                return lost.Token;
            }

            await ReleaseAsync();
            return await store.CallAsync(lockPath, ct => AcquireAsync(ct), idempotent: false, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task UnlockAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await ReleaseAsync();
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await UnlockAsync();
        gate.Dispose();
    }

    private async Task<CancellationToken> AcquireAsync(CancellationToken cancellationToken)
    {
        var client = store.Client;

        // A contender name unique to this attempt, so that a create whose reply was lost with the
        // connection can be found again instead of blocking everyone until the session ends.
        var attemptPrefix = $"{ZkPaths.LockNodePrefix}{Guid.NewGuid():N}-";
        var created = await CreateContenderAsync(ZkPaths.Child(lockPath, attemptPrefix));
        ownPath = created;
        try
        {
            await WaitForTurnAsync(client, created, cancellationToken);
        }
        catch
        {
            await ReleaseAsync();
            throw;
        }

        lost = new CancellationTokenSource();
        monitorStop = new CancellationTokenSource();
        monitor = MonitorAsync(client, created, lost, monitorStop.Token);
        return lost.Token;
    }

    /// <summary>
    /// Creates this attempt's ephemeral sequential node and returns its path. Not cancellable: a
    /// create we stopped waiting for would leave a contender behind. After a lost connection it
    /// looks for the node under its unique name before trying again.
    /// </summary>
    private async Task<string> CreateContenderAsync(string prefixPath)
    {
        var client = store.Client;
        var parent = ZkPaths.Parent(prefixPath);
        var prefix = prefixPath[(prefixPath.LastIndexOf('/') + 1)..];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return (await client.CreateAsync(prefixPath, options.Value ?? [], ZkCreateMode.EphemeralSequential)).Path;
            }
            catch (ZkException error) when (error.Code == ZkErrorCode.NoNode)
            {
                await store.EnsureParentsAsync(prefixPath, CancellationToken.None);
            }
            catch (ZkException error) when (error.Code == ZkErrorCode.ConnectionLoss && clock.Elapsed < store.ConnectionTimeout)
            {
                try
                {
                    var existing = (await client.GetChildrenAsync(parent)).Children.FirstOrDefault(name => name.StartsWith(prefix, StringComparison.Ordinal));
                    if (existing is not null)
                    {
                        return ZkPaths.Child(parent, existing);
                    }
                }
                catch (ZkException lookup) when (lookup.Code is ZkErrorCode.ConnectionLoss or ZkErrorCode.NoNode)
                {
                }
            }
        }
    }

    private static async Task WaitForTurnAsync(ZkClient client, string own, CancellationToken cancellationToken)
    {
        var ownName = own[(own.LastIndexOf('/') + 1)..];
        var parent = ZkPaths.Parent(own);
        var events = Channel.CreateUnbounded<ZkWatcherEvent>();
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var contenders = (await client.GetChildrenAsync(parent, cancellationToken)).Children
                    .Where(name => name.StartsWith(ZkPaths.LockNodePrefix, StringComparison.Ordinal))
                    .OrderBy(Sequence)
                    .ToList();
                var position = contenders.IndexOf(ownName);
                if (position < 0)
                {
                    throw new KvException($"lost the lock contender node {own} (session expired?)");
                }

                if (position == 0)
                {
                    return;
                }

                var predecessor = ZkPaths.Child(parent, contenders[position - 1]);
                if (await client.ExistsAsync(predecessor, events.Writer, cancellationToken) is null)
                {
                    continue;
                }

                await client.NextEventAsync(events.Reader, cancellationToken);
            }
        }
        finally
        {
            client.Unwatch(events.Writer);
        }
    }

    /// <summary>Cancels <paramref name="lostSource"/> when the own node goes (deleted by someone, or the session expired).</summary>
    private static async Task MonitorAsync(ZkClient client, string own, CancellationTokenSource lostSource, CancellationToken stop)
    {
        var events = Channel.CreateUnbounded<ZkWatcherEvent>();
        var session = client.Session.SessionId;
        try
        {
            while (true)
            {
                ZkStat? stat;
                try
                {
                    stat = await client.ExistsAsync(own, events.Writer, stop);
                }
                catch (ZkException error) when (error.Code == ZkErrorCode.ConnectionLoss && client.Session.SessionId == session)
                {
                    // Between servers: the node lives while the session does.
                    await Task.Delay(200, stop);
                    continue;
                }

                if (stat is null)
                {
                    break;
                }

                var next = await client.NextEventAsync(events.Reader, stop);
                while (next.Type == ZkEventType.None && next.State is not ZkKeeperState.Expired and not ZkKeeperState.Closed)
                {
                    // Disconnected or reconnected: the session, and with it the node, may still be there.
                    next = await client.NextEventAsync(events.Reader, stop);
                }

                if (next.Type == ZkEventType.NodeDeleted || next.State is ZkKeeperState.Expired or ZkKeeperState.Closed)
                {
                    break;
                }
            }

            await lostSource.CancelAsync();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Unlocked.
        }
        catch (Exception error) when (error is ZkException or KvException or ObjectDisposedException)
        {
            // The store is going away or unreachable: whether we still hold it is unknown, so say it is lost.
            if (!stop.IsCancellationRequested)
            {
                await lostSource.CancelAsync();
            }
        }
        finally
        {
            client.Unwatch(events.Writer);
        }
    }

    private async Task ReleaseAsync()
    {
        var own = ownPath;
        ownPath = null;
        lost = null;
        if (monitorStop is not null)
        {
            // Stop the monitor first: an orderly unlock does not cancel the holder's token.
            await monitorStop.CancelAsync();
            await (monitor ?? Task.CompletedTask);
            monitorStop.Dispose();
            monitorStop = null;
            monitor = null;
        }

        if (own is null)
        {
            return;
        }

        try
        {
            await store.CallAsync(own, async ct =>
            {
                await store.Client.DeleteAsync(own, -1, ct);
                return true;
            }, idempotent: true, CancellationToken.None);
        }
        catch (KvKeyNotFoundException)
        {
        }
        catch (KvException) when (store.Client.Session.SessionId == 0 || store.Client.Session.Closing.IsCancellationRequested)
        {
            // No session, or it is being closed: the server deletes the ephemeral node with it.
        }
    }

    /// <summary>The 10-digit sequence number ZooKeeper appended to a contender's name.</summary>
    private static long Sequence(string name) =>
        name.Length > 10 && long.TryParse(name.AsSpan(name.Length - 10), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : long.MaxValue;
}
