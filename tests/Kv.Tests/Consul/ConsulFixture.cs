using ContivKsr.Kv.Tests.Conformance;
using ContivKsr.TestSupport;
using ContivKsr.TestSupport.Consul;

namespace ContivKsr.Kv.Tests.Consul;

/// <summary>
/// One Consul emulator (see <see cref="ConsulEmulator"/>: no real Consul server is installable here)
/// for the Consul tests of a collection, with a store opened on it.
/// </summary>
public sealed class ConsulFixture : KvServerFixture<ConsulEmulator>, IKvBackendFixture
{
    protected override Task<ConsulEmulator> StartServerAsync() => ConsulEmulator.StartAsync();
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
