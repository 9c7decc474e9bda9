using ContivKsr.Kv;
using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;

namespace ContivKsr.Cni.LibKv.Tests.Support;

internal sealed class EtcdUnderTest(EtcdServer server) : IStoreUnderTest, IAsyncDisposable
{
    private readonly IKvStore store = KvStores.Open(server.Config());

    public string Backend => KvBackend.Etcd;

    public string Uri => server.Endpoint;

    public IKvStore Store => store;

    public EtcdServer Server => server;

    public void Stop() => server.Stop();

    public Task StartAgainAsync() => server.StartAgainAsync();

    public async ValueTask DisposeAsync()
    {
        await store.DisposeAsync();
        await server.DisposeAsync();
    }
}
