using Etcdserverpb;
using Google.Protobuf;
using Mvccpb;

namespace ContivKsr.Kv.Etcd;

/// <summary>
/// A lock is the key itself, created only if absent and tied to a lease this process keeps alive.
/// A waiter watches the key and retries when it is deleted (unlock, or the holder's lease
/// expired). Holding ends when the lease cannot be kept or the key is deleted or replaced.
/// </summary>
internal sealed class EtcdLock(EtcdConnection connection, string key, KvLockOptions options) : KvLockBase<EtcdHeldLock>
{
    protected override async Task<EtcdHeldLock> AcquireAsync(CancellationToken cancellationToken)
    {
        var bytes = connection.Keys.Bytes(key);
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

    protected override Task ReleaseAsync(EtcdHeldLock state, CancellationToken cancellationToken) => state.ReleaseAsync(cancellationToken);

    protected override CancellationToken LostToken(EtcdHeldLock state) => state.Lost.Token;
}
