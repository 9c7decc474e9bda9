using ContivKsr.Kv.Stores;

namespace ContivKsr.Kv.Tests.ZooKeeper;

/// <summary>Configuration the ZooKeeper backend must refuse when opened, before any network traffic.</summary>
public sealed class ZooKeeperConfigTests
{
    /// <summary>The client rejects each of them (ZkConnectStringTests); here one of each kind of mistake.</summary>
    [Theory]
    [InlineData("h1:2181/app,h2:2181")]
    [InlineData("h1:70000")]
    [InlineData("/only-a-chroot")]
    public void BadConnectStringsAreConfigErrors(string uri)
    {
        Assert.Throws<KvInvalidConfigException>(() => KvStores.Open(Config(KvStoreConfig.ParseEndpoints(uri))));
    }

    [Fact]
    public void UnreadableTlsFilesAndAPasswordWithoutAUserAreConfigErrors()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.pem");

        var error = Assert.Throws<KvInvalidConfigException>(() => KvStores.Open(Config(["127.0.0.1:2181"]) with { Tls = new KvTlsConfig { CaFile = missing } }));
        Assert.Contains(missing, error.Message);
        Assert.Throws<KvInvalidConfigException>(() => KvStores.Open(Config(["127.0.0.1:2181"]) with { Tls = new KvTlsConfig { CertFile = missing } }));
        Assert.Throws<KvInvalidConfigException>(() => KvStores.Open(Config(["127.0.0.1:2181"]) with { Password = "secret" }));
    }

    private static KvStoreConfig Config(IReadOnlyList<string> endpoints) => new() { Backend = KvBackend.ZooKeeper, Endpoints = endpoints };
}
