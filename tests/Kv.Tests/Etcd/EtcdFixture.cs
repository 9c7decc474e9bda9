using ContivKsr.Kv.Etcd.Core;
using ContivKsr.Kv.Stores;
using ContivKsr.Kv.Tests.Conformance;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>
/// One real etcd server for every etcd test of this assembly, with two shared stores on it: the
/// default one (keys stored normalised) and one that stores keys with a leading '/'.
/// </summary>
public sealed class EtcdFixture : KvServerFixture<EtcdServer>, IKvBackendFixture
{
    private static readonly EtcdOptions LeadingSlashOptions = new() { LeadingSlash = true };

    private IKvStore? leadingSlashStore;

    /// <summary>The same server seen through <see cref="EtcdOptions.LeadingSlash"/> = true.</summary>
    public IKvBackendFixture LeadingSlash => new LeadingSlashBackend(this);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        leadingSlashStore = KvStores.Open(Config with { BackendOptions = LeadingSlashOptions });
    }

    public override async Task DisposeAsync()
    {
        if (leadingSlashStore is not null)
        {
            await leadingSlashStore.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    protected override Task<EtcdServer> StartServerAsync() => EtcdServer.StartAsync();

    private sealed class LeadingSlashBackend(EtcdFixture fixture) : IKvBackendFixture
    {
        public KvStoreConfig Config => fixture.Config with { BackendOptions = LeadingSlashOptions };

        public IKvStore Store => fixture.leadingSlashStore ?? throw new InvalidOperationException("fixture not started");

        public KvStoreConfig UnreachableConfig(TimeSpan timeout) => fixture.UnreachableConfig(timeout) with { BackendOptions = LeadingSlashOptions };
    }
}

[CollectionDefinition("etcd")]
public sealed class EtcdCollection : ICollectionFixture<EtcdFixture>;

[Collection("etcd")]
public sealed class EtcdConformanceTests(EtcdFixture fixture) : KvStoreConformanceTests(fixture);

/// <summary>The whole contract again, on the same server, with every key stored as '/' + key.</summary>
[Collection("etcd")]
public sealed class EtcdLeadingSlashConformanceTests(EtcdFixture fixture) : KvStoreConformanceTests(fixture.LeadingSlash);
