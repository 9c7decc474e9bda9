using ContivKsr.Kv.Stores;
using ContivKsr.Kv.Tests.Conformance;
using ContivKsr.TestSupport;
using ContivKsr.TestSupport.Consul;

namespace ContivKsr.Kv.Tests.Consul;

/// <summary>
/// One Consul emulator (see <see cref="ConsulEmulator"/>: no real Consul server is installable here)
/// for the Consul tests of a collection, with a store opened on it.
/// </summary>
public sealed class ConsulFixture : IKvBackendFixture, IAsyncLifetime
{
    private ConsulEmulator? emulator;
    private IKvStore? store;

    public ConsulEmulator Emulator => emulator ?? throw new InvalidOperationException("fixture not started");

    public KvStoreConfig Config => Emulator.Config();

    public IKvStore Store => store ?? throw new InvalidOperationException("fixture not started");

    public KvStoreConfig UnreachableConfig(TimeSpan timeout) => Config with
    {
        Endpoints = [$"127.0.0.1:{FreePort.Closed()}"],
        ConnectionTimeout = timeout,
    };

    public async Task InitializeAsync()
    {
        emulator = await ConsulEmulator.StartAsync();
        store = KvStores.Open(Config);
    }

    public async Task DisposeAsync()
    {
        if (store is not null)
        {
            await store.DisposeAsync();
        }

        if (emulator is not null)
        {
            await emulator.DisposeAsync();
        }
    }
}

[CollectionDefinition("consul")]
public sealed class ConsulCollection : ICollectionFixture<ConsulFixture>;

/// <summary>The shared IKvStore suite on the Consul backend.</summary>
[Collection("consul")]
public sealed class ConsulConformanceTests(ConsulFixture fixture) : KvStoreConformanceTests(fixture)
{
    /// <summary>Consul refuses session TTLs below 10 s, and TTL keys and locks are sessions.</summary>
    protected override TimeSpan MinimumTtl => TimeSpan.FromSeconds(10);

    /// <summary>Consul's kv_max_value_size.</summary>
    protected override int MaxValueBytes => 512 * 1024;
}
