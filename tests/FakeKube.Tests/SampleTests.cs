using System.Text.Json.Nodes;
using k8s;

namespace ContivKsr.FakeKube.Tests;

/// <summary>Real Kubernetes object JSON goes through Apply and comes back verbatim apart from the fields the server sets.</summary>
public sealed class SampleTests : FakeKubeTestBase
{
    private static string Sample(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "FakeKube", "Samples", name));

    [Theory]
    [InlineData("pod-two-containers.json")]
    [InlineData("namespace-with-labels.json")]
    [InlineData("networkpolicy-docs-example.json")]
    public void A_sample_is_stored_verbatim_plus_server_metadata(string sample)
    {
        var original = JsonNode.Parse(Sample(sample))!.AsObject();

        var storedJson = Server.Apply(Sample(sample));

        Assert.Equal(storedJson, Assert.Single(Server.List(PluralOf(original))));
        var stored = JsonNode.Parse(storedJson)!.AsObject();
        var metadata = stored["metadata"]!.AsObject();
        Assert.Equal("1", (string?)metadata["resourceVersion"]);
        Assert.True(Guid.TryParse((string?)metadata["uid"], out _));
        Assert.True(DateTime.TryParse((string?)metadata["creationTimestamp"], out _));
        metadata.Remove("resourceVersion");
        metadata.Remove("uid");
        metadata.Remove("creationTimestamp");
        Assert.True(JsonNode.DeepEquals(original, stored), stored.ToJsonString());
    }

    [Fact]
    public async Task The_pod_sample_reads_back_through_KubernetesClient()
    {
        Server.Apply(Sample("pod-two-containers.json"));

        var pod = await Client.CoreV1.ReadNamespacedPodAsync("web-7d9f8c6b5-x2kqp", "shop");
        var listed = Assert.Single((await Client.CoreV1.ListNamespacedPodAsync("shop")).Items);

        Assert.Equal(["nginx", "metrics"], pod.Spec.Containers.Select(c => c.Name));
        Assert.Equal(
            [("http", 80, (int?)null, "TCP"), ("https", 443, 8443, "TCP"), ("statsd", 9125, null, "UDP"), ("metrics", 9102, null, "TCP"), ("sctp-probe", 9999, null, "SCTP")],
            pod.Spec.Containers.SelectMany(c => c.Ports).Select(p => (p.Name, p.ContainerPort, p.HostPort, p.Protocol)));
        Assert.Equal("10.0.0.11", pod.Spec.Containers[0].Ports[1].HostIP);
        Assert.Equal(("10.1.1.7", "10.0.0.11"), (pod.Status.PodIP, pod.Status.HostIP));
        Assert.Equal("memif1/memif", pod.Metadata.Annotations["contivpp.io/custom-if"]);
        Assert.Equal("frontend", pod.Metadata.Labels["tier"]);
        Assert.Equal(pod.Metadata.Uid, listed.Metadata.Uid);
        Assert.Null(listed.Kind);
    }

    [Fact]
    public async Task The_namespace_and_policy_samples_read_back_through_KubernetesClient()
    {
        Server.ApplyMany([Sample("namespace-with-labels.json"), Sample("networkpolicy-docs-example.json")]);

        var ns = await Client.CoreV1.ReadNamespaceAsync("shop");
        var policy = await Client.NetworkingV1.ReadNamespacedNetworkPolicyAsync("test-network-policy", "default");

        Assert.Equal(["kubernetes.io/metadata.name", "project", "team"], ns.Metadata.Labels.Keys.Order());
        Assert.Equal("db", policy.Spec.PodSelector.MatchLabels["role"]);
        Assert.Equal(["Ingress", "Egress"], policy.Spec.PolicyTypes);
        var from = Assert.Single(policy.Spec.Ingress).FromProperty;
        Assert.Equal("172.17.1.0/24", Assert.Single(from[0].IpBlock.Except));
        Assert.Equal("myproject", from[1].NamespaceSelector.MatchLabels["project"]);
        Assert.Equal("frontend", from[2].PodSelector.MatchLabels["role"]);
        Assert.Equal("6379", Assert.Single(policy.Spec.Ingress[0].Ports).Port.Value);
        Assert.Equal("10.0.0.0/24", Assert.Single(Assert.Single(policy.Spec.Egress).To).IpBlock.Cidr);
    }

    private static string PluralOf(JsonObject obj) => (string?)obj["kind"] switch
    {
        "Pod" => "pods",
        "Namespace" => "namespaces",
        "NetworkPolicy" => "networkpolicies",
        var kind => throw new ArgumentException($"no plural for {kind}"),
    };
}
