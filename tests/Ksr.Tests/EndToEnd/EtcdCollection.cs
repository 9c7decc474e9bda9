using ContivKsr.Ksr.Config;
using ContivKsr.Kv;
using ContivKsr.Kv.Etcd.Core;
using ContivKsr.TestSupport;

namespace ContivKsr.Ksr.Tests.EndToEnd;

/// <summary>
/// One real etcd for every end-to-end test of KSR (tests of the collection run one after another),
/// and a client of the test's own to read what KSR wrote. Both use KSR's etcd default: keys stored
/// with a leading '/', as the Go KSR wrote them.
/// </summary>
public sealed class EtcdFixture : KvServerFixture<EtcdServer>
{
    protected override Task<EtcdServer> StartServerAsync() => EtcdServer.StartAsync();

    protected override KvStoreConfig Configure(KvStoreConfig config) => config with { BackendOptions = new EtcdOptions { LeadingSlash = EtcdV3ConfigFile.DefaultLeadingSlash } };
}

[CollectionDefinition(Name)]
public sealed class EtcdCollection : ICollectionFixture<EtcdFixture>
{
    public const string Name = "ksr-etcd";
}
