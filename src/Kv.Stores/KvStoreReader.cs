namespace ContivKsr.Kv.Stores;

/// <summary>A full store used as a reader, for backends with no cheaper read path.</summary>
public sealed class KvStoreReader(IKvStore store) : IKvReader
{
    public string Backend => store.Backend;

    public Task<KvPair> GetAsync(string key, CancellationToken cancellationToken = default) => store.GetAsync(key, cancellationToken);

    public ValueTask DisposeAsync() => store.DisposeAsync();
}
