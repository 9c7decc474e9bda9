using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;

namespace ContivKsr.Kv.Stores.Etcd;

/// <summary>
/// A lock is the key itself, created only if absent and tied to a lease this process keeps alive.
/// A waiter watches the key and retries when it is deleted (unlock, or the holder's lease
/// expired). Holding ends when the lease cannot be kept or the key is deleted or replaced.
/// </summary>
internal sealed class EtcdLock(EtcdConnection connection, string key, KvLockOptions options) : IKvLock
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private Held? held;

    public async Task<CancellationToken> LockAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (held is not null && !held.Lost.IsCancellationRequested)
            {
                return held.Lost.Token;
            }

            await ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            held = await AcquireAsync(cancellationToken).ConfigureAwait(false);
            return held.Lost.Token;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task UnlockAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ReleaseAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await UnlockAsync().ConfigureAwait(false);
        }
        catch (KvException)
        {
            // Store unreachable: the lease runs out by itself within the TTL and frees the key.
        }

        gate.Dispose();
    }

    private async Task<Held> AcquireAsync(CancellationToken cancellationToken)
    {
        var bytes = EtcdKeys.Bytes(key);
        long leaseId = 0;
        EtcdLeaseKeeper? keeper = null;
        try
        {
            while (true)
            {
                if (keeper is null || keeper.Lost.IsCancellationRequested)
                {
                    // First attempt, or a long wait outlived our lease (store unreachable meanwhile).
                    if (keeper is not null)
                    {
                        await keeper.DisposeAsync().ConfigureAwait(false);
                        keeper = null;
                    }

                    (leaseId, var grantedTtl) = await EtcdLeases.GrantAsync(connection, options.EffectiveTtl, cancellationToken).ConfigureAwait(false);
                    keeper = EtcdLeaseKeeper.Start(connection, leaseId, grantedTtl);
                }

                var txn = new TxnRequest
                {
                    Compare = { new Compare { Key = bytes, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 } },
                };
                txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = bytes, Value = ByteString.CopyFrom(options.Value ?? []), Lease = leaseId } });
                var response = await connection.CallAsync(o => connection.Kv.TxnAsync(txn, o), cancellationToken).ConfigureAwait(false);
                if (response.Succeeded)
                {
                    return new Held(connection, key, leaseId, response.Header.Revision, keeper);
                }

                await WaitForDeletionAsync(bytes, response.Header.Revision + 1, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            if (keeper is not null)
            {
                await keeper.DisposeAsync().ConfigureAwait(false);
                await EtcdLeases.TryRevokeAsync(connection, leaseId).ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Returns once the key is deleted after <paramref name="fromRevision"/>, or is found gone.</summary>
    private async Task WaitForDeletionAsync(ByteString bytes, long fromRevision, CancellationToken cancellationToken)
    {
        while (true)
        {
            await foreach (var batch in EtcdWatchStream.ReadAsync(connection, bytes, ByteString.Empty, fromRevision, cancellationToken).ConfigureAwait(false))
            {
                if (batch.Compacted || batch.Events.Any(e => e.Type == Event.Types.EventType.Delete))
                {
                    // On compaction the history is unknown; retrying the create tells the truth.
                    return;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        var current = held;
        held = null;
        if (current is not null)
        {
            await current.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A held lock: its lease keeper, and the watch that notices the key going away.</summary>
    private sealed class Held
    {
        private readonly EtcdConnection connection;
        private readonly string key;
        private readonly long leaseId;
        private readonly long createRevision;
        private readonly EtcdLeaseKeeper keeper;
        private readonly CancellationTokenSource stopMonitor = new();
        private readonly Task monitor;

        public Held(EtcdConnection connection, string key, long leaseId, long createRevision, EtcdLeaseKeeper keeper)
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
                var bytes = EtcdKeys.Bytes(key);
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
            var bytes = EtcdKeys.Bytes(key);
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
            var request = new RangeRequest { Key = EtcdKeys.Bytes(key) };
            var response = await connection.CallAsync(o => connection.Kv.RangeAsync(request, o), cancellationToken).ConfigureAwait(false);
            return response.Kvs.Count == 1 && response.Kvs[0].CreateRevision == createRevision && response.Kvs[0].Lease == leaseId;
        }
    }
}
