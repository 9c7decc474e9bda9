namespace ContivKsr.Kv.Stores;

/// <summary>
/// The read side of a store, for short-lived processes such as the libkv CNI plugin that read one
/// key and exit: backends may serve it with far less set-up than a full <see cref="IKvStore"/>.
/// Same key rules and errors as <see cref="IKvStore.GetAsync"/>.
/// </summary>
public interface IKvReader : IAsyncDisposable
{
    string Backend { get; }

    /// <exception cref="KvKeyNotFoundException">The key does not exist.</exception>
    /// <exception cref="KvNotReachableException">No endpoint answered within the connection timeout.</exception>
    Task<KvPair> GetAsync(string key, CancellationToken cancellationToken = default);
}
