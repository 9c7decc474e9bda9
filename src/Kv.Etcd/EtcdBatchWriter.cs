using ContivKsr.Kv.Etcd.Core;
using Etcdserverpb;
using Google.Protobuf;

namespace ContivKsr.Kv.Etcd;

/// <summary>Writes a batch as Txns of at most <see cref="MaxOpsPerTxn"/> operations each.</summary>
internal static class EtcdBatchWriter
{
    /// <summary>etcd's default --max-txn-ops; a larger Txn is refused.</summary>
    public const int MaxOpsPerTxn = 128;

    public static async Task WriteAsync(EtcdConnection connection, IReadOnlyList<KvOperation> operations, CancellationToken cancellationToken)
    {
        foreach (var chunk in Chunk(operations))
        {
            var txn = new TxnRequest();
            txn.Success.AddRange(chunk.Select(operation => ToRequestOp(connection.Keys, operation)));
            await connection.CallAsync(o => connection.Kv.TxnAsync(txn, o), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Splits into chunks of distinct keys. etcd refuses a Txn that writes one key twice
    /// ("duplicate key given in txn request"), so a later op on a key already in the chunk replaces
    /// the earlier one: the chunk is applied atomically, so only the last write of a key was ever
    /// visible, and dropping the earlier ones leaves the same final state.
    /// </summary>
    internal static IEnumerable<IReadOnlyCollection<KvOperation>> Chunk(IReadOnlyList<KvOperation> operations)
    {
        var chunk = new Dictionary<string, KvOperation>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            var key = EtcdKey.Normalize(operation.Key);
            if (!chunk.ContainsKey(key) && chunk.Count == MaxOpsPerTxn)
            {
                yield return chunk.Values.ToArray();
                chunk.Clear();
            }

            chunk[key] = operation with { Key = key };
        }

        if (chunk.Count > 0)
        {
            yield return chunk.Values.ToArray();
        }
    }

    private static RequestOp ToRequestOp(EtcdKeys keys, KvOperation operation) => operation.Kind switch
    {
        KvOperationKind.Put => new RequestOp { RequestPut = new PutRequest { Key = keys.Bytes(operation.Key), Value = ByteString.CopyFrom(operation.Value.Span) } },
        KvOperationKind.Delete => new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = keys.Bytes(operation.Key) } },
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation.Kind, "unknown batch operation"),
    };
}
