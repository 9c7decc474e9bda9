namespace ContivKsr.Cni.LibKv.Tests.Support;

/// <summary>
/// One real server per backend for the whole "libkv" collection (started once, never per test),
/// and the published libkv binary, built before the first test needs it.
/// </summary>
public sealed class StoresFixture : IAsyncLifetime
{
    private readonly Dictionary<string, IStoreUnderTest> stores = [];

    /// <summary>Backends the parameterised tests run against.</summary>
    public static TheoryData<string> Backends => new() { Kv.KvBackend.Etcd, Kv.KvBackend.Consul, Kv.KvBackend.ZooKeeper };

    public IStoreUnderTest this[string backend] => stores[backend];

    public IStoreUnderTest Etcd => stores[Kv.KvBackend.Etcd];

    /// <summary>A second etcd, started with --enable-v2, for the v2 keys tests (the first has no v2 API).</summary>
    public IStoreUnderTest EtcdWithV2 => stores[Kv.KvBackend.EtcdV2];

    public async Task InitializeAsync()
    {
        var binary = Task.Run(() => LibKvBinary.Path);
        stores[Kv.KvBackend.Etcd] = new ServerUnderTest(await TestSupport.EtcdServer.StartAsync());
        stores[Kv.KvBackend.EtcdV2] = new ServerUnderTest(await TestSupport.EtcdServer.StartAsync(enableV2: true));
        stores[Kv.KvBackend.Consul] = new ServerUnderTest(await TestSupport.Consul.ConsulEmulator.StartAsync());
        stores[Kv.KvBackend.ZooKeeper] = new ServerUnderTest(await TestSupport.ZooKeeperServer.StartAsync());
        await binary;
    }

    public async Task DisposeAsync()
    {
        foreach (var store in stores.Values.OfType<IAsyncDisposable>())
        {
            await store.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LibKvCollection : ICollectionFixture<StoresFixture>
{
    public const string Name = "libkv";
}
