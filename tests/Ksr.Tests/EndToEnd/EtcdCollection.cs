using ContivKsr.TestSupport;

namespace ContivKsr.Ksr.Tests.EndToEnd;

/// <summary>One real etcd for every end-to-end test of KSR (tests of the collection run one after another), and a client of the test's own to read what KSR wrote.</summary>
public sealed class EtcdFixture : KvServerFixture<EtcdServer>
{
    protected override Task<EtcdServer> StartServerAsync() => EtcdServer.StartAsync();
}

[CollectionDefinition(Name)]
public sealed class EtcdCollection : ICollectionFixture<EtcdFixture>
{
    public const string Name = "ksr-etcd";
}
