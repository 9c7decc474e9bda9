namespace ContivKsr.Kv;

/// <summary>
/// The read side of a store, for short-lived processes such as the libkv CNI plugin that read one
/// key and exit: backends may serve it with far less set-up than a full <see cref="IKvStore"/>.
/// Synchronous, because such a process has nothing else to do meanwhile and async I/O would start
/// thread-pool threads it does not otherwise need. Same key rules and errors as
/// <see cref="IKvStore.GetAsync"/>.
/// </summary>
public interface IKvReader : IDisposable
{
    string Backend { get; }

    /// <exception cref="KvKeyNotFoundException">The key does not exist.</exception>
    /// <exception cref="KvNotReachableException">No endpoint answered within the connection timeout.</exception>
    KvPair Get(string key, CancellationToken cancellationToken = default);
}
