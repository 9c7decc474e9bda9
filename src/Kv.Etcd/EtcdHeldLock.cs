using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;

namespace ContivKsr.Kv.Etcd;

/// <summary>A held lock: its lease keeper, and the watch that notices the key going away.</summary>
internal sealed class EtcdHeldLock
{
    private readonly EtcdConnection connection;
    private readonly string key;
    private readonly long leaseId;
    private readonly long createRevision;
    private readonly EtcdLeaseKeeper keeper;
    private readonly CancellationTokenSource stopMonitor = new();
    private readonly Task monitor;

    public EtcdHeldLock(EtcdConnection connection, string key, long leaseId, long createRevision, EtcdLeaseKeeper keeper)
    {
        this.connection = connection;
        this.key = key;
        this.leaseId = leaseId;
        this.createRevision = createRevision;
        this.keeper = keeper;
        Lost = CancellationTokenSource.CreateLinkedTokenSource(keeper.Lost);
        monitor = Task.Run(MonitorAsync);
    }

    public CancellationTokenSource Lost { get; }

    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        await stopMonitor.CancelAsync().ConfigureAwait(false);
        await monitor.ConfigureAwait(false);
        await keeper.DisposeAsync().ConfigureAwait(false);
        await Lost.CancelAsync().ConfigureAwait(false);
        if (connection.Closed.IsCancellationRequested)
        {
            // The store is closed: nothing can be sent, and the lease frees the key within its TTL.
            stopMonitor.Dispose();
            return;
        }

        try
        {
            // Delete only our own key (same create revision): after a lost lease someone else may hold it.
            var bytes = connection.Keys.Bytes(key);
            var txn = new TxnRequest
            {
                Compare = { new Compare { Key = bytes, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = createRevision } },
            };
            txn.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = bytes } });
            await connection.CallAsync(o => connection.Kv.TxnAsync(txn, o), cancellationToken).ConfigureAwait(false);
            await EtcdLeases.RevokeAsync(connection, leaseId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            stopMonitor.Dispose();
        }
    }

    private async Task MonitorAsync()
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(stopMonitor.Token, Lost.Token, connection.Closed);
        var from = createRevision + 1;
        var bytes = connection.Keys.Bytes(key);
        while (!both.IsCancellationRequested)
        {
            try
            {
                await foreach (var batch in EtcdWatchStream.ReadAsync(connection, bytes, ByteString.Empty, from, both.Token).ConfigureAwait(false))
                {
                    if (batch.Compacted ? !await StillOursAsync(both.Token).ConfigureAwait(false) : batch.Events.Any(IsLoss))
                    {
                        await Lost.CancelAsync().ConfigureAwait(false);
                        return;
                    }

                    if (batch.Compacted)
                    {
                        break;
                    }

                    from = batch.Events[^1].Kv.ModRevision + 1;
                }
            }
            catch (OperationCanceledException) when (both.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is KvException or IOException or Grpc.Core.RpcException)
            {
                // Unreachable for a while: the lease keeper decides when that costs the lock.
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), both.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private bool IsLoss(Event change) => change.Type == Event.Types.EventType.Delete || change.Kv.Lease != leaseId;

    private async Task<bool> StillOursAsync(CancellationToken cancellationToken)
    {
        var request = new RangeRequest { Key = connection.Keys.Bytes(key) };
        var response = await connection.CallAsync(o => connection.Kv.RangeAsync(request, o), cancellationToken).ConfigureAwait(false);
        return response.Kvs.Count == 1 && response.Kvs[0].CreateRevision == createRevision && response.Kvs[0].Lease == leaseId;
    }
}
