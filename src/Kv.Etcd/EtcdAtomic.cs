using Etcdserverpb;
using Google.Protobuf;

namespace ContivKsr.Kv.Etcd;

/// <summary>Compare-and-swap as etcd Txns: compare a revision of the key, write only if it still matches.</summary>
internal static class EtcdAtomic
{
    public static async Task<KvPair> PutAsync(EtcdConnection connection, string key, ReadOnlyMemory<byte> value, KvPair? previous, KvWriteOptions? options, CancellationToken cancellationToken)
    {
        var bytes = connection.Keys.Bytes(key);
        // Missing keys have create_revision 0, so "== 0" means create-only; mod_revision pins one version.
        var compare = previous is null
            ? new Compare { Key = bytes, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 }
            : new Compare { Key = bytes, Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = previous.LastIndex };
        var lease = await EtcdLeases.GrantForAsync(connection, options?.Ttl, cancellationToken).ConfigureAwait(false);
        var stored = value.ToArray();
        var txn = new TxnRequest { Compare = { compare } };
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = bytes, Value = ByteString.CopyFrom(stored), Lease = lease } });

        var response = await connection.CallAsync(o => connection.Kv.TxnAsync(txn, o), cancellationToken).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            if (lease != 0)
            {
                await EtcdLeases.TryRevokeAsync(connection, lease).ConfigureAwait(false);
            }

            throw previous is null ? new KvKeyExistsException(key) : new KvKeyModifiedException(key);
        }

        // The Txn's revision is the one the put created: the key's new mod_revision.
        return new KvPair(key, stored, response.Header.Revision);
    }

    public static async Task DeleteAsync(EtcdConnection connection, string key, KvPair previous, CancellationToken cancellationToken)
    {
        var bytes = connection.Keys.Bytes(key);
        var txn = new TxnRequest
        {
            Compare = { new Compare { Key = bytes, Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = previous.LastIndex } },
        };
        txn.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = bytes } });
        // On failure, read the key in the same Txn to tell "gone" from "changed" without a race.
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = bytes, CountOnly = true } });

        var response = await connection.CallAsync(o => connection.Kv.TxnAsync(txn, o), cancellationToken).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            throw response.Responses[0].ResponseRange.Count == 0 ? new KvKeyNotFoundException(key) : new KvKeyModifiedException(key);
        }
    }
}
