using System.Text;
using ContivKsr.Ksr.Kinds;
using ContivKsr.TestSupport;

namespace ContivKsr.Ksr.Tests.EndToEnd;

/// <summary>
/// Replacing a running Go KSR on the same store: the values it left, in its own bytes (jsonpb's
/// compact JSON, label lists in Go's random map order), say what ours say and must not be
/// rewritten, or every agent on every node processes an update for every object at once.
/// </summary>
[Collection(EtcdCollection.Name)]
public sealed class TakeoverTests(EtcdFixture etcd) : IAsyncLifetime
{
    private const string DataPrefix = "/vnf-agent/contiv-ksr/k8s/";

    private KsrTestBed bed = null!;

    public async Task InitializeAsync() => bed = await KsrTestBed.StartAsync(etcd);

    public async Task DisposeAsync() => await bed.DisposeAsync();

    [Fact]
    public async Task ResyncOverAGoKsrsValuesWritesNothingThenOneChangeIsOneWrite()
    {
        foreach (var (k8sJson, key, storedValue) in GoKsrState.Append(OldSchemaService))
        {
            bed.Kube.Apply(k8sJson);
            await bed.Store.PutAsync(key, Encoding.UTF8.GetBytes(storedValue));
        }

        var seeded = await Etcdctl.RecordsAsync(etcd.Server.Endpoint, DataPrefix);
        Assert.Equal(GoKsrState.Length + 1, seeded.Count);
        Assert.All(seeded.Values, record => Assert.Equal(1, record.Version));

        var daemon = await bed.StartDaemonAsync(bed.Settings(s => s with { ResyncInterval = TimeSpan.FromMilliseconds(300) }));
        await Eventually.TrueAsync(() => Task.FromResult(daemon.Stats.Reflectors.Values.All(r => r.Resyncs >= 2)), "two periodic resyncs of every kind");

        // Only the value agents cannot read (a field contiv's model lacks) was written, once; the
        // data tree saw no other write (the daemon's marker key lives outside it).
        var afterTakeover = await Etcdctl.RecordsAsync(etcd.Server.Endpoint, DataPrefix);
        var oldSchemaKey = "/" + OldSchemaService.Key;
        Assert.Equal(seeded.Keys.Order(StringComparer.Ordinal), afterTakeover.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, record) in afterTakeover.Where(pair => pair.Key != oldSchemaKey))
        {
            Assert.Equal((seeded[key].ModRevision, 1L), (record.ModRevision, record.Version));
            Assert.Equal(seeded[key].Value, record.Value);
        }

        Assert.Equal(2, afterTakeover[oldSchemaKey].Version);
        Assert.DoesNotContain("load_balancer_ip", Encoding.UTF8.GetString(afterTakeover[oldSchemaKey].Value), StringComparison.Ordinal);
        await bed.AssertEveryValueDecodesAsync();
        Assert.All(daemon.Stats.Reflectors.Values, stats => Assert.Equal(0, stats.ResyncFixes));

        bed.Kube.Apply(GoKsrState[1].K8sJson.Replace("10.1.1.5", "10.1.1.6", StringComparison.Ordinal));
        var podKey = "/" + GoKsrState[1].Key;
        await Eventually.TrueAsync(async () => (await Etcdctl.RecordsAsync(etcd.Server.Endpoint, DataPrefix))[podKey].Version > 1, "the changed pod written");
        await Eventually.TrueAsync(() => Task.FromResult(daemon.Stats.Reflectors["pod"].Resyncs >= 4), "two more resyncs");

        var afterChange = await Etcdctl.RecordsAsync(etcd.Server.Endpoint, DataPrefix);
        Assert.Equal(2, afterChange[podKey].Version);
        Assert.Contains("\"ip_address\":\"10.1.1.6\"", Encoding.UTF8.GetString(afterChange[podKey].Value), StringComparison.Ordinal);
        Assert.All(afterChange.Where(pair => pair.Key != podKey), pair => Assert.Equal(afterTakeover[pair.Key].ModRevision, pair.Value.ModRevision));
        Assert.Equal(1, daemon.Stats.Reflectors["pod"].Updates);
    }

    private static string Key(ResourceKind kind, string? ns, string name) => KsrTestBed.Layout.KeyOf(kind, ns, name);

    /// <summary>Cluster objects and, for each, the value a Go KSR wrote for it, byte for byte (checked against golang/protobuf 1.3's jsonpb).</summary>
    private static readonly (string K8sJson, string Key, string StoredValue)[] GoKsrState =
    [
        ("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop","labels":{"team":"retail","env":"prod","tier":"gold"}}}""",
         Key(ResourceKind.Namespace, null, "shop"),
         """{"name":"shop","label":[{"key":"tier","value":"gold"},{"key":"env","value":"prod"},{"key":"team","value":"retail"}]}"""),
        ("""
         {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"shop","labels":{"app":"web","tier":"frontend","version":"v2"},
          "annotations":{"contivpp.io/custom-if":"memif1","other.io/note":"x"}},
          "spec":{"containers":[{"name":"c","image":"nginx","ports":[{"name":"http","containerPort":80,"protocol":"TCP"}]}]},
          "status":{"phase":"Running","hostIP":"192.168.16.10","podIP":"10.1.1.5"}}
         """,
         Key(ResourceKind.Pod, "shop", "web-1"),
         """{"name":"web-1","namespace":"shop","label":[{"key":"version","value":"v2"},{"key":"app","value":"web"},{"key":"tier","value":"frontend"}],"ip_address":"10.1.1.5","host_ip_address":"192.168.16.10","container":[{"name":"c","port":[{"name":"http","container_port":80}]}],"annotations":{"contivpp.io/custom-if":"memif1"},"labels":{"app":"web","tier":"frontend","version":"v2"}}"""),
        ("""
         {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"db-access","namespace":"shop","labels":{"owner":"netops","app":"db"}},
          "spec":{"podSelector":{"matchLabels":{"role":"db","tier":"data"}},"policyTypes":["Ingress"],
                  "ingress":[{"from":[{"podSelector":{"matchLabels":{"role":"frontend"}}}],"ports":[{"protocol":"TCP","port":6379}]}]}}
         """,
         Key(ResourceKind.Policy, "shop", "db-access"),
         """{"name":"db-access","namespace":"shop","label":[{"key":"app","value":"db"},{"key":"owner","value":"netops"}],"pods":{"match_label":[{"key":"tier","value":"data"},{"key":"role","value":"db"}]},"policy_type":"INGRESS","ingress_rule":[{"port":[{"port":{"number":6379}}],"from":[{"pods":{"match_label":[{"key":"role","value":"frontend"}]}}]}]}"""),
        ("""
         {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"shop"},
          "spec":{"type":"ClusterIP","clusterIP":"10.96.0.10","selector":{"tier":"frontend","app":"web"},"sessionAffinity":"None",
                  "ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":8080}]},"status":{"loadBalancer":{}}}
         """,
         Key(ResourceKind.Service, "shop", "web"),
         """{"name":"web","namespace":"shop","port":[{"name":"http","protocol":"TCP","port":80,"target_port":{"int_val":8080}}],"selector":{"app":"web","tier":"frontend"},"cluster_ip":"10.96.0.10","service_type":"ClusterIP","session_affinity":"None","annotations":{}}"""),
        ("""
         {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"web","namespace":"shop"},
          "subsets":[{"addresses":[{"ip":"10.1.1.5","nodeName":"worker-1","targetRef":{"kind":"Pod","namespace":"shop","name":"web-1","uid":"u1","resourceVersion":"42"}}],
                      "ports":[{"name":"http","port":8080,"protocol":"TCP"}]}]}
         """,
         Key(ResourceKind.Endpoints, "shop", "web"),
         """{"name":"web","namespace":"shop","endpoint_subsets":[{"addresses":[{"ip":"10.1.1.5","node_name":"worker-1","target_ref":{"kind":"Pod","namespace":"shop","name":"web-1","uid":"u1","resource_version":"42"}}],"ports":[{"name":"http","port":8080,"protocol":"TCP"}]}]}"""),
        ("""
         {"apiVersion":"v1","kind":"Node","metadata":{"name":"worker-1","labels":{"kubernetes.io/os":"linux"}},"spec":{"podCIDR":"10.1.1.0/24"},
          "status":{"addresses":[{"type":"InternalIP","address":"192.168.16.10"},{"type":"Hostname","address":"worker-1"}],
                    "nodeInfo":{"machineID":"m1","kernelVersion":"6.1.0","kubeletVersion":"v1.31.0","kubeProxyVersion":"v1.31.0","operatingSystem":"linux","architecture":"amd64"}}}
         """,
         Key(ResourceKind.Node, null, "worker-1"),
         """{"name":"worker-1","pod_CIDR":"10.1.1.0/24","addresses":[{"type":"NodeInternalIP","address":"192.168.16.10"},{"type":"NodeHostName","address":"worker-1"}],"node_info":{"machine_ID":"m1","kernel_version":"6.1.0","kubelet_version":"v1.31.0","KubeProxyVersion":"v1.31.0","OperatingSystem":"linux","Architecture":"amd64"}}"""),
    ];

    /// <summary>A service as an older version of this daemon wrote it, with fields contiv's model lacks: agents cannot read it, so it is rewritten.</summary>
    private static readonly (string K8sJson, string Key, string StoredValue) OldSchemaService =
    (
        """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"lb","namespace":"shop"},
         "spec":{"type":"LoadBalancer","clusterIP":"10.96.0.11","loadBalancerIP":"192.0.2.1","selector":{"app":"web"},
                 "ports":[{"protocol":"TCP","port":443,"targetPort":8443,"nodePort":31443}]}}
        """,
        Key(ResourceKind.Service, "shop", "lb"),
        """{ "name": "lb", "namespace": "shop", "selector": { "app": "web" }, "port": [ { "protocol": "TCP", "port": 443, "target_port": { "int_val": 8443 }, "node_port": 31443 } ], "cluster_ip": "10.96.0.11", "service_type": "LoadBalancer", "load_balancer_ip": "192.0.2.1" }"""
    );
}
