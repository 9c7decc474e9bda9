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
    private EtcdHeldLock? held;

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

    private async Task<EtcdHeldLock> AcquireAsync(CancellationToken cancellationToken)
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
                    return new EtcdHeldLock(connection, key, leaseId, response.Header.Revision, keeper);
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
}
