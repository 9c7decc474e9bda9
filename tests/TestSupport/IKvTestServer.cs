using ContivKsr.Kv;

namespace ContivKsr.TestSupport;

/// <summary>A server a test opens stores on, and may stop and start again: a real etcd or ZooKeeper, or the Consul emulator.</summary>
public interface IKvTestServer : IAsyncDisposable
{
    /// <summary>"127.0.0.1:port", as a KvStoreConfig endpoint or a command-line uri.</summary>
    string Endpoint { get; }

    /// <summary>How to reach this server, with a connection timeout of 5 s unless given.</summary>
    KvStoreConfig Config(TimeSpan? connectionTimeout = null);

    /// <summary>An outage: the server stops serving; its data stays.</summary>
    void Stop();

    /// <summary>Serves again after <see cref="Stop"/>, on the same address and with the same data.</summary>
    Task StartAgainAsync();
}
