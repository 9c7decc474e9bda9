using ContivKsr.Kv.Stores;
using ContivKsr.Kv.Tests.Conformance;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>One real etcd server for every etcd test of this assembly.</summary>
public sealed class EtcdFixture : IKvBackendFixture, IAsyncLifetime
{
    private EtcdServer? server;
    private IKvStore? store;

    public EtcdServer Server => server ?? throw new InvalidOperationException("fixture not started");

    public KvStoreConfig Config => Server.Config();

    public IKvStore Store => store ?? throw new InvalidOperationException("fixture not started");

    public KvStoreConfig UnreachableConfig(TimeSpan timeout) => Config with
    {
        Endpoints = [$"127.0.0.1:{FreePort.Closed()}"],
        ConnectionTimeout = timeout,
    };

    public async Task InitializeAsync()
    {
        server = await EtcdServer.StartAsync();
        store = KvStores.Open(Config);
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

[CollectionDefinition("etcd")]
public sealed class EtcdCollection : ICollectionFixture<EtcdFixture>;

[Collection("etcd")]
public sealed class EtcdConformanceTests(EtcdFixture fixture) : KvStoreConformanceTests(fixture);
