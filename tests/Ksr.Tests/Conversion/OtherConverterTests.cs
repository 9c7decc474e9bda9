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
    public void ServiceWithNamedAndNumberedTargetPorts()
    {
        var service = TestData.Parse<V1Service>("""
            {"apiVersion":"v1","kind":"Service",
             "metadata":{"name":"web","namespace":"shop","labels":{"b":"2","a":"1"}},
             "spec":{"type":"NodePort","clusterIP":"10.96.12.7","clusterIPs":["10.96.12.7"],
                     "selector":{"tier":"frontend","app":"web"},
                     "ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":"http-alt","nodePort":30080},
                              {"name":"dns","protocol":"UDP","port":53,"targetPort":5353}],
                     "sessionAffinity":"None","externalTrafficPolicy":"Cluster"}}
            """);

        TestData.AssertJson("""
            {"name":"web","namespace":"shop","selector":{"app":"web","tier":"frontend"},
             "port":[{"name":"http","protocol":"TCP","port":80,"target_port":{"type":"STRING","string_val":"http-alt"},"node_port":30080},
                     {"name":"dns","protocol":"UDP","port":53,"target_port":{"int_val":5353}}],
             "cluster_ip":"10.96.12.7","service_type":"NodePort","session_affinity":"None",
             "external_traffic_policy":"Cluster","cluster_ips":["10.96.12.7"],
             "label":[{"key":"a","value":"1"},{"key":"b","value":"2"}]}
            """, ServiceConverter.Convert(service));
    }

    [Fact]
    public void EndpointsKeepReadyAndNotReadyAddressesWithTheirPods()
    {
        var endpoints = TestData.Parse<V1Endpoints>("""
            {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"web","namespace":"shop"},
             "subsets":[{"addresses":[{"ip":"10.1.1.5","nodeName":"worker-1","targetRef":{"kind":"Pod","namespace":"shop","name":"web-1","uid":"u1"}}],
                         "notReadyAddresses":[{"ip":"10.1.2.9","hostname":"web-2"}],
                         "ports":[{"name":"http","port":8080,"protocol":"TCP"}]}]}
            """);

        TestData.AssertJson("""
            {"name":"web","namespace":"shop",
             "endpoint_subsets":[{"addresses":[{"ip":"10.1.1.5","node_name":"worker-1","target_ref":{"kind":"Pod","namespace":"shop","name":"web-1","uid":"u1"}}],
                                  "not_ready_addresses":[{"ip":"10.1.2.9","host_name":"web-2"}],
                                  "ports":[{"name":"http","port":8080,"protocol":"TCP"}]}]}
            """, EndpointsConverter.Convert(endpoints));
    }

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
            {"name":"worker-1","pod_cidr":"10.1.1.0/24",
             "addresses":[{"type":"INTERNAL_IP","address":"192.168.16.10"},{"type":"HOSTNAME","address":"worker-1"}],
             "node_info":{"machine_id":"m","system_uuid":"s","boot_id":"b","kernel_version":"6.1.0","os_image":"Debian GNU/Linux 12",
                          "container_runtime_version":"containerd://1.7.20","kubelet_version":"v1.31.0","kube_proxy_version":"v1.31.0",
                          "operating_system":"linux","architecture":"amd64"},
             "pod_cidrs":["10.1.1.0/24"],"label":[{"key":"kubernetes.io/os","value":"linux"}]}
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
        Assert.Contains("\"protocol\": \"UDP\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ipAddress", text, StringComparison.Ordinal);
    }
}
