namespace ContivKsr.Kv.Stores.Consul;

/// <summary>
/// Writes a batch as /v1/txn requests of at most 64 operations each ("set" and "delete"), in order.
/// Each request is atomic; the batch as a whole is not. "delete" of a missing key succeeds in Consul.
/// </summary>
internal sealed class ConsulTxnBatcher(ConsulKvApi kv)
{
    public async Task WriteAsync(IReadOnlyList<KvOperation> operations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var chunk = new List<ConsulTxnKvOperation>(ConsulKvApi.MaxTxnOperations);
        for (var i = 0; i < operations.Count; i++)
        {
            chunk.Add(ToTxn(operations[i]));
            if (chunk.Count == ConsulKvApi.MaxTxnOperations || i == operations.Count - 1)
            {
                var outcome = await kv.TxnAsync(chunk, cancellationToken).ConfigureAwait(false);
                if (!outcome.Committed)
                {
                    var first = i + 1 - chunk.Count;
                    throw new KvException($"Consul rolled back the batch's operations {first}..{i}: {outcome.Describe()}")
                    {
                        BackendCode = "409",
                    };
                }

                chunk.Clear();
            }
        }
    }

    private static ConsulTxnKvOperation ToTxn(KvOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var key = ConsulStore.NormalizeKey(operation.Key);
        return operation.Kind switch
        {
            KvOperationKind.Put => new ConsulTxnKvOperation { Verb = "set", Key = key, Value = operation.Value.ToArray() },
            KvOperationKind.Delete => new ConsulTxnKvOperation { Verb = "delete", Key = key },
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation.Kind, "unknown batch operation"),
        };
    }
}
