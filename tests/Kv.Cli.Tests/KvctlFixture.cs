using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Cli.Tests;

/// <summary>One real etcd for all kvctl tests, plus a store on it to set up and check what kvctl did.</summary>
public sealed class KvctlFixture : IAsyncLifetime
{
    private EtcdServer? server;
    private IKvStore? store;

    public EtcdServer Server => server ?? throw new InvalidOperationException("fixture not started");

    public IKvStore Store => store ?? throw new InvalidOperationException("fixture not started");

    /// <summary>kvctl's arguments to reach this etcd, followed by <paramref name="args"/>.</summary>
    public string[] Args(params string[] args) => ["--uri", Server.Endpoint, "--timeout", "5", .. args];

    public async Task InitializeAsync()
    {
        server = await EtcdServer.StartAsync();
        store = KvStores.Open(Server.Config(TimeSpan.FromSeconds(10)));
        // A fresh etcd elects itself leader before it takes writes; let that happen before any test.
        await store.PutAsync("kvctl-tests/ready", "yes"u8.ToArray());
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

[CollectionDefinition("kvctl")]
public sealed class KvctlCollection : ICollectionFixture<KvctlFixture>;
