using ContivKsr.Kv.Stores;
using ContivKsr.Kv.Tests.Conformance;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Tests.ZooKeeper;

/// <summary>One real ZooKeeper 3.8 server for every ZooKeeper test of this assembly.</summary>
public sealed class ZooKeeperFixture : IKvBackendFixture, IAsyncLifetime
{
    private ZooKeeperServer? server;
    private IKvStore? store;

    public ZooKeeperServer Server => server ?? throw new InvalidOperationException("fixture not started");

    public KvStoreConfig Config => Server.Config();

    public IKvStore Store => store ?? throw new InvalidOperationException("fixture not started");

    public KvStoreConfig UnreachableConfig(TimeSpan timeout) => Config with
    {
        Endpoints = [$"127.0.0.1:{FreePort.Closed()}"],
        ConnectionTimeout = timeout,
    };

    public async Task InitializeAsync()
    {
        server = await ZooKeeperServer.StartAsync();
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

[CollectionDefinition("zookeeper")]
public sealed class ZooKeeperCollection : ICollectionFixture<ZooKeeperFixture>;

/// <summary>The shared IKvStore suite on a real ZooKeeper.</summary>
[Collection("zookeeper")]
public sealed class ZooKeeperConformanceTests(ZooKeeperFixture fixture) : KvStoreConformanceTests(fixture)
{
    /// <summary>
    /// ZooKeeper refuses a request larger than jute.maxbuffer (default 0xfffff bytes, one byte under
    /// 1 MiB, path and header included), so the largest value is a little under 1 MiB.
    /// </summary>
    protected override int MaxValueBytes => (1 << 20) - 1024;
}
