using ContivKsr.Kv.Tests.Conformance;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>One real etcd server for every etcd test of this assembly.</summary>
public sealed class EtcdFixture : KvServerFixture<EtcdServer>, IKvBackendFixture
{
    protected override Task<EtcdServer> StartServerAsync() => EtcdServer.StartAsync();
}

[CollectionDefinition("etcd")]
public sealed class EtcdCollection : ICollectionFixture<EtcdFixture>;

[Collection("etcd")]
public sealed class EtcdConformanceTests(EtcdFixture fixture) : KvStoreConformanceTests(fixture);
