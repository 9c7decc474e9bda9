using ContivKsr.Kv.EtcdGateway;
using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>
/// One real etcd 3.4 started with --enable-v2 for the v2 tests of this assembly, with a v3 store
/// on it and the same server seen through every etcd backend name.
/// </summary>
public sealed class EtcdV2Fixture : KvServerFixture<EtcdServer>
{
    public string Endpoint => Server.Endpoint;

    /// <summary>The server under <paramref name="backend"/> ("etcd", "etcdv3" or "etcdv2").</summary>
    public KvStoreConfig ConfigFor(string backend) => Config with { Backend = backend };

    public IKvReader Reader(string backend) => EtcdReaders.Open(ConfigFor(backend));

    protected override Task<EtcdServer> StartServerAsync() => EtcdServer.StartAsync(enableV2: true);

    // A fresh etcd elects itself leader before it takes writes; let that happen before any test.
    protected override async Task WhenReadyAsync(IKvStore store) => await store.PutAsync("v2-tests/ready", "yes"u8.ToArray());
}

[CollectionDefinition("etcd-v2")]
public sealed class EtcdV2Collection : ICollectionFixture<EtcdV2Fixture>;
