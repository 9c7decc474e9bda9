using ContivKsr.Kv;
using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;

namespace ContivKsr.Ksr.Tests.EndToEnd;

/// <summary>One real etcd for every end-to-end test of KSR (tests of the collection run one after another).</summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    private EtcdServer? server;
    private IKvStore? store;

    public EtcdServer Server => server ?? throw new InvalidOperationException("fixture not started");

    /// <summary>A client of the test's own, to read what KSR wrote.</summary>
    public IKvStore Store => store ?? throw new InvalidOperationException("fixture not started");

    public async Task InitializeAsync()
    {
        server = await EtcdServer.StartAsync();
        store = KvStores.Open(server.Config());
    }

    public async Task DisposeAsync()
    {
        if (store is not null)
        {
            await store.DisposeAsync();
        }

        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class EtcdCollection : ICollectionFixture<EtcdFixture>
{
    public const string Name = "ksr-etcd";
}
