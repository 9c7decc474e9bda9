using ContivKsr.Kv;
using ContivKsr.Kv.Stores;
using Xunit;

namespace ContivKsr.TestSupport;

/// <summary>
/// One server for a whole xunit collection (a collection fixture), with a store opened on it once
/// that the collection's tests share to set up and check state. Both are disposed with the fixture.
/// </summary>
public abstract class KvServerFixture<TServer> : IAsyncLifetime
    where TServer : class, IKvTestServer
{
    private TServer? server;
    private IKvStore? store;

    public TServer Server => server ?? throw new InvalidOperationException("fixture not started");

    /// <summary>How <see cref="Store"/> reaches the server.</summary>
    public KvStoreConfig Config => Configure(Server.Config(StoreConnectionTimeout));

    public IKvStore Store => store ?? throw new InvalidOperationException("fixture not started");

    /// <summary>A config of this backend whose endpoint accepts no connection.</summary>
    public KvStoreConfig UnreachableConfig(TimeSpan timeout) => Config with
    {
        Endpoints = [$"127.0.0.1:{FreePort.Closed()}"],
        ConnectionTimeout = timeout,
    };

    public virtual async Task InitializeAsync()
    {
        server = await StartServerAsync();
        store = KvStores.Open(Config);
        await WhenReadyAsync(store);
    }

    public virtual async Task DisposeAsync()
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

    /// <summary>The store's connection timeout; null for the server's default.</summary>
    protected virtual TimeSpan? StoreConnectionTimeout => null;

    protected abstract Task<TServer> StartServerAsync();

    /// <summary>Options of the fixture's own on top of the server's config (for example etcd's leading slash).</summary>
    protected virtual KvStoreConfig Configure(KvStoreConfig config) => config;

    /// <summary>Waits, before the first test, for anything the fresh server must do before it takes writes.</summary>
    protected virtual Task WhenReadyAsync(IKvStore store) => Task.CompletedTask;
}
