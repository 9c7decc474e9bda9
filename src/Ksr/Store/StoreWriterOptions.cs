namespace ContivKsr.Ksr.Store;

/// <param name="MaxBatch">Operations per WriteBatchAsync call; the backend splits it into its own transaction chunks.</param>
/// <param name="Linger">How long the writer waits for more operations before writing a batch that is not full.</param>
/// <param name="OperationTimeout">Bound on one store call (etcdv3.conf's operation-timeout).</param>
public sealed record StoreWriterOptions(int MaxBatch, TimeSpan Linger, TimeSpan OperationTimeout)
{
    public static StoreWriterOptions Default { get; } = new(1024, TimeSpan.FromMilliseconds(2), TimeSpan.FromSeconds(3));
}
