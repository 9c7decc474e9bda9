using ContivKsr.Kv;
using ContivKsr.Kv.Etcd.Core;
using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;

namespace ContivKsr.Ksr.Tests.EndToEnd;

/// <summary>
/// The keys as etcd holds them: by default exactly the Go KSR's ('/vnf-agent/contiv-ksr/k8s/...'),
/// which is what contiv's node agents watch; with leading-slash off, the normalised form.
/// </summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdKeyFormTests(EtcdFixture etcd) : IAsyncLifetime
{
    private KsrTestBed bed = null!;

    public async Task InitializeAsync() => bed = await KsrTestBed.StartAsync(etcd);

    public async Task DisposeAsync() => await bed.DisposeAsync();

    [Fact]
    public async Task ByDefaultTheRawKeysAreTheGoKsrKeys()
    {
        await bed.StartDaemonAsync();
        bed.Kube.Apply(Objects.Namespace("shop"));
        bed.Kube.Apply(Objects.Pod("shop", "web-1", "10.1.1.5"));
        bed.Kube.Apply(Objects.Policy("shop", "db-access"));
        await bed.ConvergedAsync();

        Assert.Equal(
            [
                "/vnf-agent/contiv-ksr/k8s/namespace/shop",
                "/vnf-agent/contiv-ksr/k8s/namespace/shop/pod/web-1",
                "/vnf-agent/contiv-ksr/k8s/namespace/shop/policy/db-access",
            ],
            (await Etcdctl.KeysAsync(etcd.Server.Endpoint, "/vnf-agent/contiv-ksr/k8s/namespace/")).Order(StringComparer.Ordinal));
        Assert.Empty(await Etcdctl.KeysAsync(etcd.Server.Endpoint, "vnf-agent/"));
    }

    [Fact]
    public async Task WithLeadingSlashOffTheKeysAreStoredNormalised()
    {
        var plainConfig = etcd.Config with { BackendOptions = new EtcdOptions { LeadingSlash = false }, ConnectionTimeout = TimeSpan.FromSeconds(2) };
        await using var plain = KvStores.Open(plainConfig);
        await using var plainBed = await KsrTestBed.StartAsync(plain, plainConfig);
        await plainBed.StartDaemonAsync();
        plainBed.Kube.Apply(Objects.Namespace("shop"));
        await plainBed.ConvergedAsync();

        Assert.Equal(["vnf-agent/contiv-ksr/k8s/namespace/shop"], await Etcdctl.KeysAsync(etcd.Server.Endpoint, "vnf-agent/contiv-ksr/k8s/namespace/"));
        Assert.Empty(await Etcdctl.KeysAsync(etcd.Server.Endpoint, "/vnf-agent/"));
        await plain.DeleteTreeAsync("vnf-agent");
    }
}
