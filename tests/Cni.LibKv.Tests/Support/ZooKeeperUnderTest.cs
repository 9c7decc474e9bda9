using ContivKsr.Kv;
using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;

namespace ContivKsr.Cni.LibKv.Tests.Support;

/// <summary>A real ZooKeeper 3.8 server (Debian's zookeeper package) on free loopback ports.</summary>
internal sealed class ZooKeeperUnderTest(ZooKeeperServer server) : IStoreUnderTest, IAsyncDisposable
{
    private readonly IKvStore store = KvStores.Open(server.Config());

    public string Backend => KvBackend.ZooKeeper;

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
