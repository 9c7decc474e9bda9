using ContivKsr.TestSupport;

namespace ContivKsr.Ksr.Tests.EndToEnd.ZooKeeper;

/// <summary>One real ZooKeeper for the KSR tests that write to it (--store-config backend: zookeeper).</summary>
public sealed class ZooKeeperFixture : KvServerFixture<ZooKeeperServer>
{
    protected override Task<ZooKeeperServer> StartServerAsync() => ZooKeeperServer.StartAsync();
}

[CollectionDefinition(Name)]
public sealed class ZooKeeperCollection : ICollectionFixture<ZooKeeperFixture>
{
    public const string Name = "ksr-zookeeper";
}

[Collection(ZooKeeperCollection.Name)]
public sealed class ZooKeeperReflectionTests(ZooKeeperFixture zookeeper) : IAsyncLifetime
{
    private KsrTestBed bed = null!;

    public async Task InitializeAsync() => bed = await KsrTestBed.StartAsync(zookeeper.Store, zookeeper.Server.Config(TimeSpan.FromSeconds(5)));

    public async Task DisposeAsync() => await bed.DisposeAsync();

    [Fact]
    public async Task ReflectsIntoZooKeeperAndConvergesAfterARestart()
    {
        bed.Kube.Apply(Objects.Namespace("shop"));
        bed.Kube.Apply(Objects.Pod("shop", "web-1", "10.1.1.5"));
        bed.Kube.Apply(Objects.Pod("shop", "web-2", "10.1.1.6"));
        bed.Kube.Apply(Objects.Policy("shop", "db"));
        var first = await bed.StartDaemonAsync();
        await bed.ConvergedAsync();

        bed.Kube.Apply(Objects.Pod("shop", "web-1", "10.1.1.7"));
        bed.Kube.Delete("networkpolicies", "shop", "db");
        await bed.ConvergedAsync();
        await bed.StopDaemonAsync(first);

        bed.Kube.Delete("pods", "shop", "web-2");
        bed.Kube.Apply(Objects.Pod("shop", "web-3", "10.1.1.8"));
        await bed.StartDaemonAsync();

        await bed.ConvergedAsync();
    }
}
