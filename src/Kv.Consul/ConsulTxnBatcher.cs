namespace ContivKsr.Kv.Consul;

/// <summary>
/// Writes a batch as /v1/txn requests ("set" and "delete"), in order, each within Consul's limits:
/// at most 64 operations and a request body under txn_max_req_len (512 KiB; values travel base64).
/// A value too big for any transaction is written alone with a plain PUT. Each request is atomic;
/// the batch as a whole is not. "delete" of a missing key succeeds in Consul.
/// </summary>
internal sealed class ConsulTxnBatcher(ConsulKvApi kv)
{
    /// <summary>Room kept for JSON syntax, verb and the key of each operation.</summary>
    private const int OperationOverhead = 64;

    /// <summary>Stay clear of the body limit: the estimate below is close, not exact.</summary>
    private const int BodyBudget = ConsulKvApi.MaxTxnBodyBytes * 3 / 4;

    public async Task WriteAsync(IReadOnlyList<KvOperation> operations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var chunk = new List<ConsulTxnKvOperation>(ConsulKvApi.MaxTxnOperations);
        var chunkBytes = 0;
        var chunkStart = 0;
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            ArgumentNullException.ThrowIfNull(operation);
            var key = ConsulStore.NormalizeKey(operation.Key);
            if (operation.Kind == KvOperationKind.Put && operation.Value.Length > ConsulKvApi.MaxTxnValueBytes)
            {
                await FlushAsync(chunk, chunkStart, cancellationToken).ConfigureAwait(false);
                await kv.PutAsync(key, operation.Value, "", cancellationToken).ConfigureAwait(false);
                chunkBytes = 0;
                chunkStart = i + 1;
                continue;
            }

            var size = EstimateSize(key, operation);
            if (chunk.Count == ConsulKvApi.MaxTxnOperations || (chunk.Count > 0 && chunkBytes + size > BodyBudget))
            {
                await FlushAsync(chunk, chunkStart, cancellationToken).ConfigureAwait(false);
                chunkBytes = 0;
                chunkStart = i;
            }

            chunk.Add(ToTxn(key, operation));
            chunkBytes += size;
        }

        await FlushAsync(chunk, chunkStart, cancellationToken).ConfigureAwait(false);
    }

    private async Task FlushAsync(List<ConsulTxnKvOperation> chunk, int firstIndex, CancellationToken cancellationToken)
    {
        if (chunk.Count == 0)
        {
            return;
        }

        var outcome = await kv.TxnAsync(chunk, cancellationToken).ConfigureAwait(false);
        if (!outcome.Committed)
        {
            throw new KvException($"Consul rolled back the batch's operations {firstIndex}..{firstIndex + chunk.Count - 1}: {outcome.Describe()}")
            {
                BackendCode = "409",
            };
        }

        chunk.Clear();
    }

    private static int EstimateSize(string key, KvOperation operation) =>
        OperationOverhead + (key.Length * 2) + (operation.Kind == KvOperationKind.Put ? ((operation.Value.Length + 2) / 3 * 4) : 0);

    private static ConsulTxnKvOperation ToTxn(string key, KvOperation operation) => operation.Kind switch
    {
        KvOperationKind.Put => new ConsulTxnKvOperation { Verb = "set", Key = key, Value = operation.Value.ToArray() },
        KvOperationKind.Delete => new ConsulTxnKvOperation { Verb = "delete", Key = key },
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation.Kind, "unknown batch operation"),
    };
}
