using ContivKsr.Kv.Tests.Conformance;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Tests.ZooKeeper;

/// <summary>One real ZooKeeper 3.8 server for every ZooKeeper test of this assembly.</summary>
public sealed class ZooKeeperFixture : KvServerFixture<ZooKeeperServer>, IKvBackendFixture
{
    protected override Task<ZooKeeperServer> StartServerAsync() => ZooKeeperServer.StartAsync();
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
