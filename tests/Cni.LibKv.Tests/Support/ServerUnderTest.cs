using ContivKsr.Kv;
using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;

namespace ContivKsr.Cni.LibKv.Tests.Support;

/// <summary>
/// A test server of any backend (real etcd, real ZooKeeper 3.8, or the Consul emulator: no real
/// Consul is installable here) with the test's client store opened on it.
/// </summary>
internal sealed class ServerUnderTest(IKvTestServer server) : IStoreUnderTest, IAsyncDisposable
{
    private readonly IKvStore store = KvStores.Open(server.Config());

    public string Backend { get; } = server.Config().Backend;

    public string Uri => server.Endpoint;

    public IKvStore Store => store;

    public void Stop() => server.Stop();

    public Task StartAgainAsync() => server.StartAgainAsync();

    public async ValueTask DisposeAsync()
    {
        await store.DisposeAsync();
        await server.DisposeAsync();
    }
}
