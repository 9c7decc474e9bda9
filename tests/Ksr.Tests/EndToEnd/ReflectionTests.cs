using ContivKsr.Ksr.Kinds;
using System.Text;

namespace ContivKsr.Ksr.Tests.EndToEnd;

/// <summary>contiv-ksr in-process against the fake API server and a real etcd.</summary>
[Collection(EtcdCollection.Name)]
public sealed class ReflectionTests(EtcdFixture etcd) : IAsyncLifetime
{
    private KsrTestBed bed = null!;

    public async Task InitializeAsync() => bed = await KsrTestBed.StartAsync(etcd);

    public async Task DisposeAsync() => await bed.DisposeAsync();

    [Fact]
    public async Task CreateUpdateAndDeleteOfEveryKindGiveExactlyTheExpectedKeysAndValues()
    {
        var daemon = await bed.StartDaemonAsync();

        bed.Kube.Apply(Objects.Namespace("shop"));
        bed.Kube.Apply(Objects.Pod("shop", "web-1", "10.1.1.5"));
        bed.Kube.Apply(Objects.Policy("shop", "db-access"));
        bed.Kube.Apply(Objects.Service("shop", "web"));
        bed.Kube.Apply(Objects.Endpoints("shop", "web", "10.1.1.5"));
        bed.Kube.Apply(Objects.Node("worker-1", "192.168.16.10"));
        await bed.ConvergedAsync();

        var stored = await bed.StoredAsync();
        Assert.Equal(
            [
                "vnf-agent/contiv-ksr/k8s/endpoints/web/namespace/shop",
                "vnf-agent/contiv-ksr/k8s/namespace/shop",
                "vnf-agent/contiv-ksr/k8s/namespace/shop/pod/web-1",
                "vnf-agent/contiv-ksr/k8s/namespace/shop/policy/db-access",
                "vnf-agent/contiv-ksr/k8s/node/worker-1",
                "vnf-agent/contiv-ksr/k8s/service/web/namespace/shop",
            ],
            stored.Keys.Order(StringComparer.Ordinal));
        TestData.AssertJsonText("""
            {"name":"web-1","namespace":"shop","label":[{"key":"app","value":"web"}],"ip_address":"10.1.1.5",
             "host_ip_address":"192.168.16.10","container":[{"name":"c","port":[{"name":"http","container_port":80}]}],
             "annotations":{"contivpp.io/custom-if":"memif1"},"labels":{"app":"web"}}
            """, stored["vnf-agent/contiv-ksr/k8s/namespace/shop/pod/web-1"]);
        await bed.AssertEveryValueDecodesAsync();

        bed.Kube.Apply(Objects.Pod("shop", "web-1", "10.1.1.6", app: "shop-web"));
        bed.Kube.Apply(Objects.Policy("shop", "db-access", role: "cache"));
        bed.Kube.Apply(Objects.Namespace("shop", team: "b"));
        bed.Kube.Apply(Objects.Service("shop", "web", port: 81));
        bed.Kube.Apply(Objects.Endpoints("shop", "web", "10.1.1.6"));
        bed.Kube.Apply(Objects.Node("worker-1", "192.168.16.11"));
        await bed.ConvergedAsync();
        Assert.Contains("\"10.1.1.6\"", (await bed.StoredAsync())["vnf-agent/contiv-ksr/k8s/namespace/shop/pod/web-1"], StringComparison.Ordinal);

        Assert.True(bed.Kube.Delete("pods", "shop", "web-1"));
        Assert.True(bed.Kube.Delete("networkpolicies", "shop", "db-access"));
        Assert.True(bed.Kube.Delete("services", "shop", "web"));
        Assert.True(bed.Kube.Delete("endpoints", "shop", "web"));
        Assert.True(bed.Kube.Delete("nodes", null, "worker-1"));
        Assert.True(bed.Kube.Delete("namespaces", null, "shop"));
        await bed.ConvergedAsync();
        Assert.Empty(await bed.StoredAsync());

        foreach (var name in new[] { "namespace", "pod", "policy", "service", "endpoints", "node" })
        {
            var stats = daemon.Stats.Reflectors[name];
            Assert.Equal((1, 1, 1), (stats.Adds, stats.Updates, stats.Deletes));
        }
    }

    [Fact]
    public async Task AChangeOutsideTheModelIsNotRewritten()
    {
        bed.Kube.Apply(Objects.Pod("default", "web-1", "10.1.1.5"));
        var daemon = await bed.StartDaemonAsync();
        var key = KsrTestBed.Layout.KeyOf(ResourceKind.Pod, "default", "web-1");
        var before = await bed.Store.GetAsync(key);

        bed.Kube.Apply(Objects.Pod("default", "web-1", "10.1.1.5", extraAnnotation: "not-for-contiv"));
        await Eventually.TrueAsync(() => Task.FromResult(daemon.Stats.Reflectors["pod"].Unchanged == 1), "the update seen as unchanged");

        Assert.Equal(before.LastIndex, (await bed.Store.GetAsync(key)).LastIndex);
        Assert.Equal(0, daemon.Stats.Reflectors["pod"].Updates);
    }

    [Fact]
    public async Task ObjectsChangedAndDeletedWhileKsrWasDownConvergeAfterRestartWithoutStaleKeys()
    {
        bed.Kube.Apply(Objects.Namespace("shop"));
        bed.Kube.Apply(Objects.Namespace("bank"));
        for (var i = 0; i < 20; i++)
        {
            bed.Kube.Apply(Objects.Pod(i % 2 == 0 ? "shop" : "bank", $"pod-{i}", $"10.1.1.{i + 1}"));
        }

        bed.Kube.Apply(Objects.Policy("shop", "p1"));
        var first = await bed.StartDaemonAsync();
        await bed.ConvergedAsync();
        await bed.StopDaemonAsync(first);

        bed.Kube.Delete("pods", "shop", "pod-0");
        bed.Kube.Delete("pods", "bank", "pod-1");
        bed.Kube.Delete("networkpolicies", "shop", "p1");
        bed.Kube.Apply(Objects.Pod("shop", "pod-2", "10.1.9.9"));
        bed.Kube.Apply(Objects.Pod("bank", "pod-new", "10.1.9.10"));
        for (var i = 3; i < 20; i += 2)
        {
            bed.Kube.Delete("pods", "bank", $"pod-{i}");
        }

        bed.Kube.Delete("namespaces", null, "bank");
        // A key of a pod nobody knows (a leak of an older KSR), and a key that is not KSR's to judge.
        await bed.Store.PutAsync(KsrTestBed.Layout.KeyOf(ResourceKind.Pod, "ghost", "leaked"), Encoding.UTF8.GetBytes("{}"));
        await bed.Store.PutAsync("vnf-agent/contiv-ksr/k8s/secret/not-ours", Encoding.UTF8.GetBytes("x"));

        var second = await bed.StartDaemonAsync();
        var stored = (await bed.Store.ListAsync(KsrTestBed.Layout.DataRoot)).Select(p => p.Key).ToHashSet();
        Assert.Contains("vnf-agent/contiv-ksr/k8s/secret/not-ours", stored);
        await bed.Store.DeleteAsync("vnf-agent/contiv-ksr/k8s/secret/not-ours");
        await bed.ConvergedAsync(TimeSpan.FromSeconds(1));
        // Only the differences were written: pod-new added, pod-2 updated, the 11 deleted pods and
        // the leaked one removed; the policy and the namespace too.
        Assert.Equal(1, second.Stats.Reflectors["pod"].Adds);
        Assert.Equal(1, second.Stats.Reflectors["pod"].Updates);
        Assert.Equal(12, second.Stats.Reflectors["pod"].Deletes);
        Assert.Equal(1, second.Stats.Reflectors["policy"].Deletes);
        Assert.Equal(1, second.Stats.Reflectors["namespace"].Deletes);
    }

    [Fact]
    public async Task EtcdRestartedMidStreamConverges()
    {
        bed.Kube.Apply(Objects.Namespace("shop"));
        bed.Kube.Apply(Objects.Pod("shop", "a", "10.1.1.1"));
        var daemon = await bed.StartDaemonAsync();
        await bed.ConvergedAsync();

        etcd.Server.Stop();
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(!daemon.Ready), "not ready while etcd is down");
            for (var i = 0; i < 30; i++)
            {
                bed.Kube.Apply(Objects.Pod("shop", $"p-{i}", $"10.1.2.{i + 1}"));
            }

            bed.Kube.Delete("pods", "shop", "a");
            bed.Kube.Apply(Objects.Pod("shop", "p-0", "10.1.3.1"));
            await Task.Delay(500);
        }
        finally
        {
            await etcd.Server.StartAgainAsync();
        }

        await bed.ConvergedAsync(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => Task.FromResult(daemon.Ready), "ready again");
        // Whichever noticed the outage (a failed probe or a failed write) asked for a resync.
        await Eventually.TrueAsync(() => Task.FromResult(daemon.Stats.Reflectors["pod"].Resyncs >= 1), "a resync after the outage");
    }

    [Fact]
    public async Task AnObjectDeletedWhileTheWatchWasGoneIsDeletedAfterThe410Relist()
    {
        bed.Kube.Apply(Objects.Pod("default", "kept", "10.1.1.1"));
        bed.Kube.Apply(Objects.Pod("default", "doomed", "10.1.1.2"));
        var daemon = await bed.StartDaemonAsync();
        await bed.ConvergedAsync();

        // The API server goes away (watches cut), the pod is deleted and the history compacted, so
        // the watch cannot resume: it gets 410 Gone and must relist to learn of the deletion.
        bed.Kube.Unavailable = true;
        bed.Kube.Delete("pods", "default", "doomed");
        bed.Kube.Apply(Objects.Pod("default", "kept", "10.1.1.9"));
        bed.Kube.CompactHistory();
        await Eventually.TrueAsync(() => Task.FromResult(daemon.Stats.Reflectors["pod"].Errors.ContainsKey("watch")), "watch failing while unavailable");
        bed.Kube.Unavailable = false;

        await bed.ConvergedAsync();
        var stats = daemon.Stats.Reflectors["pod"];
        Assert.True(stats.Relists >= 1);
        Assert.True(stats.Errors.GetValueOrDefault("gone") >= 1);
    }

    [Fact]
    public async Task ADroppedWatchResumesFromItsVersionWithoutRelisting()
    {
        var daemon = await bed.StartDaemonAsync();
        bed.Kube.Apply(Objects.Pod("default", "before", "10.1.1.1"));
        await bed.ConvergedAsync();

        bed.Kube.DropWatches();
        bed.Kube.Apply(Objects.Pod("default", "after", "10.1.1.2"));
        bed.Kube.SendBookmarks();

        await bed.ConvergedAsync();
        Assert.Equal(0, daemon.Stats.Reflectors["pod"].Relists);
    }

    [Fact]
    public async Task StoreDataLossIsDetectedAndRepaired()
    {
        bed.Kube.Apply(Objects.Namespace("shop"));
        bed.Kube.Apply(Objects.Pod("shop", "a", "10.1.1.1"));
        var daemon = await bed.StartDaemonAsync();
        await bed.ConvergedAsync();

        // Someone wipes the whole tree, marker included, behind KSR's back.
        await bed.Store.DeleteTreeAsync("vnf-agent");

        await bed.ConvergedAsync();
        Assert.True(daemon.Stats.Store.DataLoss >= 1);
    }
}
