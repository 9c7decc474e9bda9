using ContivKsr.Ksr.Conversion;
using ContivKsr.Ksr.Model.Pod;
using ContivKsr.Ksr.Store;
using k8s.Models;

namespace ContivKsr.Ksr.Tests.Conversion;

public sealed class OtherConverterTests
{
    [Fact]
    public void NamespaceLabelsAreSortedByKey() =>
        TestData.AssertJson("""
            {"name":"shop","label":[{"key":"env","value":"prod"},{"key":"kubernetes.io/metadata.name","value":"shop"},{"key":"team","value":"retail"}]}
            """, NamespaceConverter.Convert(TestData.Load<V1Namespace>("namespace.json")));

    [Fact]
    public void NodeLeavesOutHeartbeatsSoAQuietNodeEncodesTheSame()
    {
        const string Json = """
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"worker-1","labels":{"kubernetes.io/os":"linux"}},
             "spec":{"podCIDR":"10.1.1.0/24","podCIDRs":["10.1.1.0/24"]},
             "status":{"addresses":[{"type":"InternalIP","address":"192.168.16.10"},{"type":"Hostname","address":"worker-1"}],
                       "conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"HEARTBEAT"}],
                       "nodeInfo":{"machineID":"m","systemUUID":"s","bootID":"b","kernelVersion":"6.1.0","osImage":"Debian GNU/Linux 12",
                                   "containerRuntimeVersion":"containerd://1.7.20","kubeletVersion":"v1.31.0","kubeProxyVersion":"v1.31.0",
                                   "operatingSystem":"linux","architecture":"amd64"}}}
            """;
        var codec = new ValueCodec(ValueFormat.Json);
        var first = NodeConverter.Convert(TestData.Parse<V1Node>(Json.Replace("HEARTBEAT", "2026-11-23T10:00:00Z", StringComparison.Ordinal)));
        var second = NodeConverter.Convert(TestData.Parse<V1Node>(Json.Replace("HEARTBEAT", "2026-11-23T10:00:40Z", StringComparison.Ordinal)));

        Assert.Equal(codec.Encode(first), codec.Encode(second));
        TestData.AssertJson("""
            {"name":"worker-1","pod_CIDR":"10.1.1.0/24",
             "addresses":[{"type":"NodeInternalIP","address":"192.168.16.10"},{"type":"NodeHostName","address":"worker-1"}],
             "node_info":{"machine_ID":"m","system_UUID":"s","boot_ID":"b","kernel_version":"6.1.0","os_image":"Debian GNU/Linux 12",
                          "container_runtime_version":"containerd://1.7.20","kubelet_version":"v1.31.0","KubeProxyVersion":"v1.31.0",
                          "OperatingSystem":"linux","Architecture":"amd64"}}
            """, first);
    }

    [Fact]
    public void BinaryFormatRoundTripsAndJsonUsesProtoFieldNames()
    {
        var model = PodConverter.Convert(TestData.Load<V1Pod>("pod-multi-container.json"));
        var binary = new ValueCodec(ValueFormat.Binary);
        var json = new ValueCodec(ValueFormat.Json);

        Assert.Equal(model, binary.Decode<Pod>(binary.Encode(model)));
        Assert.Equal(model, json.Decode<Pod>(json.Encode(model)));
        var text = System.Text.Encoding.UTF8.GetString(json.Encode(model));
        Assert.Contains("\"ip_address\"", text, StringComparison.Ordinal);
        Assert.Contains("\"protocol\":\"UDP\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ipAddress", text, StringComparison.Ordinal);
    }
}
