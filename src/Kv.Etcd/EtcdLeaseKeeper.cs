using Etcdserverpb;
using Grpc.Core;

namespace ContivKsr.Kv.Etcd;

/// <summary>
/// Keeps a lease alive in the background (a refresh every third of its TTL over etcd's
/// LeaseKeepAlive stream) and reports in <see cref="Lost"/> when it could not: etcd said the
/// lease is gone, or no refresh got through before the lease's own expiry.
/// </summary>
internal sealed class EtcdLeaseKeeper : IAsyncDisposable
{
    private readonly EtcdConnection connection;
    private readonly long leaseId;
    private readonly TimeSpan ttl;
    private readonly CancellationTokenSource stop;
    private readonly CancellationTokenSource lost = new();
    private readonly Task loop;

    private EtcdLeaseKeeper(EtcdConnection connection, long leaseId, TimeSpan ttl)
    {
        this.connection = connection;
        this.leaseId = leaseId;
        this.ttl = ttl;
        stop = CancellationTokenSource.CreateLinkedTokenSource(connection.Closed);
        loop = Task.Run(RunAsync);
    }

    public CancellationToken Lost => lost.Token;

    public static EtcdLeaseKeeper Start(EtcdConnection connection, long leaseId, TimeSpan grantedTtl) => new(connection, leaseId, grantedTtl);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        stop.Dispose();
        lost.Dispose();
    }

    private async Task RunAsync()
    {
        var expiresAt = DateTime.UtcNow + ttl;
        var interval = TimeSpan.FromTicks(Math.Max(ttl.Ticks / 3, TimeSpan.FromMilliseconds(300).Ticks));
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var options = await connection.StreamOptionsAsync(stop.Token).ConfigureAwait(false);
                using var call = connection.Lease.LeaseKeepAlive(options);
                while (true)
                {
                    var granted = await RefreshAsync(call, expiresAt).ConfigureAwait(false);
                    if (granted <= 0)
                    {
                        await lost.CancelAsync().ConfigureAwait(false);
                        return;
                    }

                    expiresAt = DateTime.UtcNow + TimeSpan.FromSeconds(granted);
                    await Task.Delay(interval, stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is RpcException or OperationCanceledException or KvException || EtcdWatchStream.IsTransport(e))
            {
                if (DateTime.UtcNow >= expiresAt)
                {
                    await lost.CancelAsync().ConfigureAwait(false);
                    return;
                }

                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        if (connection.Closed.IsCancellationRequested)
        {
            // The store was disposed under a held lock: nobody renews the lease any more.
            await lost.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <returns>The TTL etcd granted (0 or less: the lease no longer exists).</returns>
    private async Task<long> RefreshAsync(AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> call, DateTime expiresAt)
    {
        // An answer later than the lease's expiry is useless; a dead server must not hold us longer.
        var wait = TimeSpan.FromTicks(Math.Max(Math.Min((expiresAt - DateTime.UtcNow).Ticks, connection.Timeout.Ticks), TimeSpan.FromMilliseconds(100).Ticks));
        using var answer = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        answer.CancelAfter(wait);
        await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = leaseId }, answer.Token).ConfigureAwait(false);
        if (!await call.ResponseStream.MoveNext(answer.Token).ConfigureAwait(false))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "etcd closed the keep-alive stream"));
        }

        return call.ResponseStream.Current.TTL;
    }
}
