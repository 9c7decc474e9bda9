using ContivKsr.Kv.Etcd;
using ContivKsr.Kv.Etcd.Core;
using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>Configuration the etcd backend must refuse when opened, before any network traffic.</summary>
public sealed class EtcdConfigTests
{
    [Theory]
    [InlineData("ftp://127.0.0.1:2379")]
    [InlineData("http://127.0.0.1:2379/path")]
    [InlineData("127.0.0.1:notaport")]
    public void MalformedEndpointIsInvalidConfig(string endpoint)
    {
        Assert.Throws<KvInvalidConfigException>(() => KvStores.Open(Config([endpoint])));
    }

    [Fact]
    public void MixedSchemesAreInvalidConfig()
    {
        Assert.Throws<KvInvalidConfigException>(() => KvStores.Open(Config(["http://127.0.0.1:2379", "https://127.0.0.1:2380"])));
    }

    [Fact]
    public void PasswordWithoutUserIsInvalidConfig()
    {
        Assert.Throws<KvInvalidConfigException>(() => KvStores.Open(Config(["127.0.0.1:2379"]) with { Password = "secret" }));
    }

    [Fact]
    public void EndpointsGetTheirSchemeAndDefaultPort()
    {
        var plain = EtcdEndpoints.Parse(["127.0.0.1:2379", "etcd-b", "[::1]:3379"], tlsConfigured: false);
        Assert.Equal(["http://127.0.0.1:2379/", "http://etcd-b:2379/", "http://[::1]:3379/"], plain.Uris.Select(u => u.ToString()));
        Assert.False(plain.UseTls);

        var tls = EtcdEndpoints.Parse(["127.0.0.1:2379"], tlsConfigured: true);
        Assert.Equal("https://127.0.0.1:2379/", tls.Uris.Single().ToString());
        Assert.True(tls.UseTls);

        Assert.Throws<KvInvalidConfigException>(() => EtcdEndpoints.Parse(["http://127.0.0.1:2379"], tlsConfigured: true));
    }

    [Fact]
    public void MissingTlsFilesAreInvalidConfig()
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "missing.pem");

        Assert.Throws<KvInvalidConfigException>(() => KvStores.Open(Config(["127.0.0.1:2379"]) with { Tls = new KvTlsConfig { CaFile = missing } }));
        Assert.Throws<KvInvalidConfigException>(() => KvStores.Open(Config(["127.0.0.1:2379"]) with { Tls = new KvTlsConfig { CertFile = missing, KeyFile = missing } }));
    }

    [Fact]
    public void CertificateWithoutKeyIsInvalidConfig()
    {
        using var certificates = TestCertificates.Create();

        var error = Assert.Throws<KvInvalidConfigException>(() => KvStores.Open(Config(["127.0.0.1:2379"]) with { Tls = new KvTlsConfig { CertFile = certificates.ClientCertFile } }));
        Assert.Contains("key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FilesThatAreNotPemAreInvalidConfig()
    {
        using var dir = new TempDirectory();
        var garbage = Path.Combine(dir.Path, "garbage.pem");
        File.WriteAllText(garbage, "this is not a certificate");

        Assert.Throws<KvInvalidConfigException>(() => KvStores.Open(Config(["127.0.0.1:2379"]) with { Tls = new KvTlsConfig { CaFile = garbage } }));
        Assert.Throws<KvInvalidConfigException>(() => KvStores.Open(Config(["127.0.0.1:2379"]) with { Tls = new KvTlsConfig { CertFile = garbage, KeyFile = garbage } }));
    }

    [Fact]
    public void BatchChunksHoldDistinctKeysWithTheLastWriteOfEach()
    {
        List<KvOperation> operations =
        [
            KvOperation.Put("a", new byte[] { 1 }),
            KvOperation.Put("/b/", new byte[] { 1 }),
            KvOperation.Put("a/", new byte[] { 2 }),
            KvOperation.Delete("b"),
            .. Enumerable.Range(0, 130).Select(i => KvOperation.Put($"x{i:D3}", new[] { (byte)i })),
        ];

        var chunks = EtcdBatchWriter.Chunk(operations).ToList();

        Assert.Equal([128, 4], chunks.Select(c => c.Count));
        var first = chunks[0].ToDictionary(o => o.Key);
        Assert.Equal(KvOperationKind.Put, first["a"].Kind);
        Assert.Equal(2, first["a"].Value.Span[0]);
        Assert.Equal(KvOperationKind.Delete, first["b"].Kind);
        Assert.Equal(["x126", "x127", "x128", "x129"], chunks[1].Select(o => o.Key));
    }

    private static KvStoreConfig Config(IReadOnlyList<string> endpoints) => new()
    {
        Backend = KvBackend.Etcd,
        Endpoints = endpoints,
        ConnectionTimeout = TimeSpan.FromSeconds(1),
    };
}
