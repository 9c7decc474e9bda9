using ContivKsr.Ksr.Keys;
using ContivKsr.Ksr.Kinds;

namespace ContivKsr.Ksr.Tests.Keys;

public sealed class KeyLayoutTests
{
    private readonly KeyLayout nested = new(KeyLayoutKind.Nested);
    private readonly KeyLayout flat = new(KeyLayoutKind.Flat);

    [Fact]
    public void NestedLayoutIsTheSeeds()
    {
        Assert.Equal("vnf-agent/contiv-ksr/k8s/namespace/shop", nested.KeyOf(ResourceKind.Namespace, null, "shop"));
        Assert.Equal("vnf-agent/contiv-ksr/k8s/namespace/shop/pod/web-1", nested.KeyOf(ResourceKind.Pod, "shop", "web-1"));
        Assert.Equal("vnf-agent/contiv-ksr/k8s/namespace/shop/policy/deny", nested.KeyOf(ResourceKind.Policy, "shop", "deny"));
        Assert.Equal("vnf-agent/contiv-ksr/k8s/service/web/namespace/shop", nested.KeyOf(ResourceKind.Service, "shop", "web"));
        Assert.Equal("vnf-agent/contiv-ksr/k8s/endpoints/web/namespace/shop", nested.KeyOf(ResourceKind.Endpoints, "shop", "web"));
        Assert.Equal("vnf-agent/contiv-ksr/k8s/node/worker-1", nested.KeyOf(ResourceKind.Node, null, "worker-1"));
    }

    [Fact]
    public void FlatLayoutPutsTheKindFirst()
    {
        Assert.Equal("vnf-agent/contiv-ksr/k8s/namespace/shop", flat.KeyOf(ResourceKind.Namespace, null, "shop"));
        Assert.Equal("vnf-agent/contiv-ksr/k8s/pod/web-1/namespace/shop", flat.KeyOf(ResourceKind.Pod, "shop", "web-1"));
        Assert.Equal("vnf-agent/contiv-ksr/k8s/policy/deny/namespace/shop", flat.KeyOf(ResourceKind.Policy, "shop", "deny"));
    }

    [Theory]
    [InlineData("namespace", null, "shop")]
    [InlineData("pod", "shop", "web-1")]
    [InlineData("policy", "shop", "deny")]
    [InlineData("service", "shop", "web")]
    [InlineData("endpoints", "shop", "web")]
    [InlineData("node", null, "worker-1")]
    // Names equal to the layout's own words must not confuse the parser.
    [InlineData("namespace", null, "pod")]
    [InlineData("pod", "namespace", "namespace")]
    [InlineData("policy", "pod", "policy")]
    public void EveryKeyParsesBackToItsObjectInBothLayouts(string kindName, string? ns, string name)
    {
        var kind = ResourceKind.Find(kindName) ?? throw new ArgumentOutOfRangeException(nameof(kindName), kindName, null);
        foreach (var layout in new[] { nested, flat })
        {
            var key = layout.KeyOf(kind, ns, name);
            Assert.True(layout.TryParse(key, out var parsed), key);
            Assert.Equal(new KsrKey(kind, ns, name), parsed);
            // The other layout's parser recognises it too, so a layout switch can clean up.
            Assert.True((layout == nested ? flat : nested).TryParse("/" + key + "/", out var again));
            Assert.Equal(parsed, again);
        }
    }

    [Fact]
    public void APodUnderANamespaceKeyIsNeverTakenForTheNamespace()
    {
        Assert.True(nested.TryParse("vnf-agent/contiv-ksr/k8s/namespace/shop/pod/web-1", out var pod));
        Assert.Equal(ResourceKind.Pod, pod.Kind);
    }

    [Theory]
    [InlineData("vnf-agent/contiv-ksr/k8s")]
    [InlineData("vnf-agent/contiv-ksr/k8s/namespace")]
    [InlineData("vnf-agent/contiv-ksr/k8s/namespace/shop/pod")]
    [InlineData("vnf-agent/contiv-ksr/k8s/namespace/shop/secret/x")]
    [InlineData("vnf-agent/contiv-ksr/k8s/namespace/shop/pod/web/extra")]
    [InlineData("vnf-agent/contiv-ksr/k8s/pod/web/namespaces/shop")]
    [InlineData("vnf-agent/contiv-ksr/k8sX/namespace/shop")]
    [InlineData("vnf-agent/contiv-ksr/ksr-marker")]
    [InlineData("other/k8s/namespace/shop")]
    public void AnythingElseIsNotAKsrKey(string key) => Assert.False(nested.TryParse(key, out _));
}
