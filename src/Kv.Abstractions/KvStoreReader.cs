namespace ContivKsr.Kv;

/// <summary>A full store used as a reader, for backends with no cheaper read path.</summary>
public sealed class KvStoreReader(IKvStore store) : IKvReader
{
    public string Backend => store.Backend;

    // A console process has no synchronization context, so waiting here cannot deadlock.
    public KvPair Get(string key, CancellationToken cancellationToken = default) =>
        store.GetAsync(key, cancellationToken).GetAwaiter().GetResult();

    public void Dispose() => store.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
