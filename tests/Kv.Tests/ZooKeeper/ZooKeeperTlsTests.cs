using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Tests.ZooKeeper;

/// <summary>
/// A second real ZooKeeper, configured unlike the default one: TLS on a secureClientPort with
/// client certificates required, and no extended types (so no TTL nodes), as a stock server has.
/// </summary>
public sealed class ZooKeeperTlsFixture : IAsyncLifetime
{
    private ZooKeeperServer? server;

    public ZooKeeperServer Server => server ?? throw new InvalidOperationException("fixture not started");

    public TestCertificates Certificates => Server.Certificates ?? throw new InvalidOperationException("started without TLS");

    public async Task InitializeAsync() => server = await ZooKeeperServer.StartAsync(new ZooKeeperServerOptions(ExtendedTypes: false, Tls: true));

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

[CollectionDefinition("zookeeper-tls")]
public sealed class ZooKeeperTlsCollection : ICollectionFixture<ZooKeeperTlsFixture>;

[Collection("zookeeper-tls")]
public sealed class ZooKeeperTlsTests(ZooKeeperTlsFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task MutualTlsConnectsToTheSecurePort()
    {
        var key = $"tls/{Guid.NewGuid():N}";
        await using var store = KvStores.Open(SecureConfig(new KvTlsConfig
        {
            CaFile = fixture.Certificates.CaFile,
            CertFile = fixture.Certificates.ClientCertFile,
            KeyFile = fixture.Certificates.ClientKeyFile,
        }));

        await store.PutAsync(key, "over tls"u8.ToArray());

        Assert.Equal("over tls", (await store.GetAsync(key)).ValueAsString());
    }

    [Fact]
    public async Task AServerCertificateFromAnotherCaIsRefused()
    {
        using var otherPki = new TempDirectory("zk-other-ca-");
        var other = TestCertificates.Create(otherPki.Path);
        await using var store = KvStores.Open(SecureConfig(new KvTlsConfig
        {
            CaFile = other.CaFile,
            CertFile = fixture.Certificates.ClientCertFile,
            KeyFile = fixture.Certificates.ClientKeyFile,
        }) with { ConnectionTimeout = TimeSpan.FromSeconds(2) });

        var error = await Assert.ThrowsAsync<KvNotReachableException>(() => store.GetAsync("any"));
        Assert.Contains("certificate", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PlainTcpToTheSecurePortIsNotReachable()
    {
        await using var store = KvStores.Open(SecureConfig(null) with { ConnectionTimeout = TimeSpan.FromSeconds(2) });

        await Assert.ThrowsAsync<KvNotReachableException>(() => store.GetAsync("any").WaitAsync(Timeout));
    }

    [Fact]
    public async Task TtlPutOnAServerWithoutExtendedTypesIsNotSupported()
    {
        await using var store = KvStores.Open(new KvStoreConfig { Backend = KvBackend.ZooKeeper, Endpoints = [fixture.Server.Endpoint] });
        var key = $"ttl/{Guid.NewGuid():N}";

        var error = await Assert.ThrowsAsync<KvCallNotSupportedException>(() => store.PutAsync(key, "v"u8.ToArray(), new KvWriteOptions(TimeSpan.FromSeconds(5))));

        Assert.Equal("-6", error.BackendCode);
        Assert.False(await store.ExistsAsync(key));
    }

    private KvStoreConfig SecureConfig(KvTlsConfig? tls) => new()
    {
        Backend = KvBackend.ZooKeeper,
        Endpoints = [fixture.Server.SecureEndpoint],
        ConnectionTimeout = Timeout,
        Tls = tls,
    };
}
