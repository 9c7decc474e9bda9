using ContivKsr.Ksr.Keys;
using ContivKsr.Ksr.Model.Pod;
using ContivKsr.Ksr.Store;

namespace ContivKsr.Ksr.Tests.EndToEnd;

[Collection(EtcdCollection.Name)]
public sealed class LayoutAndFormatTests(EtcdFixture etcd) : IAsyncLifetime
{
    private static readonly KeyLayout Flat = new(KeyLayoutKind.Flat);

    private KsrTestBed bed = null!;

    public async Task InitializeAsync() => bed = await KsrTestBed.StartAsync(etcd);

    public async Task DisposeAsync() => await bed.DisposeAsync();

    [Fact]
    public async Task FlatKeysWithBinaryValues()
    {
        bed.Kube.Apply(Objects.Namespace("shop"));
        bed.Kube.Apply(Objects.Pod("shop", "web-1", "10.1.1.5"));
        bed.Kube.Apply(Objects.Policy("shop", "db"));
        bed.Kube.Apply(Objects.Service("shop", "web"));
        bed.Kube.Apply(Objects.Endpoints("shop", "web", "10.1.1.5"));
        bed.Kube.Apply(Objects.Node("worker-1", "192.168.16.10"));
        await bed.StartDaemonAsync(bed.Settings(s => s with { KeyLayout = KeyLayoutKind.Flat, ValueFormat = ValueFormat.Binary }));

        await bed.ConvergedAsync(layout: Flat, format: ValueFormat.Binary);
        await bed.AssertEveryValueDecodesAsync(Flat, ValueFormat.Binary);
        var pod = await bed.Store.GetAsync("vnf-agent/contiv-ksr/k8s/pod/web-1/namespace/shop");
        var decoded = Pod.Parser.ParseFrom(pod.Value);
        Assert.Equal(("web-1", "shop", "10.1.1.5"), (decoded.Name, decoded.Namespace, decoded.IpAddress));
    }

    [Fact]
    public async Task SwitchingTheLayoutRemovesTheOldKeys()
    {
        bed.Kube.Apply(Objects.Namespace("shop"));
        bed.Kube.Apply(Objects.Pod("shop", "web-1", "10.1.1.5"));
        var nested = await bed.StartDaemonAsync();
        await bed.ConvergedAsync();
        await bed.StopDaemonAsync(nested);

        await bed.StartDaemonAsync(bed.Settings(s => s with { KeyLayout = KeyLayoutKind.Flat }));

        await bed.ConvergedAsync(layout: Flat);
        Assert.False(await bed.Store.ExistsAsync("vnf-agent/contiv-ksr/k8s/namespace/shop/pod/web-1"));
    }
}
