using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ContivKsr.FakeKube.Tests;

public sealed class ListTests : FakeKubeTestBase
{
    [Fact]
    public async Task Lists_every_served_resource_with_the_current_resource_version()
    {
        Server.Apply("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop"}}""");
        Server.Apply(Pod("shop", "web-1"));
        Server.Apply("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"shop"},"spec":{"selector":{"app":"web"},"ports":[{"port":80}]}}""");
        Server.Apply("""{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"web","namespace":"shop"},"subsets":[{"addresses":[{"ip":"10.1.1.7"}],"ports":[{"port":80}]}]}""");
        Server.Apply("""{"apiVersion":"v1","kind":"Node","metadata":{"name":"worker-1"},"status":{"addresses":[{"type":"InternalIP","address":"10.0.0.11"}]}}""");
        Server.Apply("""{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"deny","namespace":"shop"},"spec":{"podSelector":{}}}""");
        var current = Server.CurrentResourceVersion.ToString();

        var namespaces = await Client.CoreV1.ListNamespaceAsync();
        var pods = await Client.CoreV1.ListPodForAllNamespacesAsync();
        var services = await Client.CoreV1.ListServiceForAllNamespacesAsync();
        var endpoints = await Client.CoreV1.ListEndpointsForAllNamespacesAsync();
        var nodes = await Client.CoreV1.ListNodeAsync();
        var policies = await Client.NetworkingV1.ListNetworkPolicyForAllNamespacesAsync();

        Assert.Equal(6L, Server.CurrentResourceVersion);
        Assert.All(
            new[] { namespaces.Metadata, pods.Metadata, services.Metadata, endpoints.Metadata, nodes.Metadata, policies.Metadata },
            m => Assert.Equal(current, m.ResourceVersion));
        Assert.Equal("shop", Assert.Single(namespaces.Items).Metadata.Name);
        Assert.Equal("web-1", Assert.Single(pods.Items).Metadata.Name);
        Assert.Equal(80, Assert.Single(Assert.Single(services.Items).Spec.Ports).Port);
        Assert.Equal("10.1.1.7", Assert.Single(Assert.Single(Assert.Single(endpoints.Items).Subsets).Addresses).Ip);
        Assert.Equal("10.0.0.11", Assert.Single(Assert.Single(nodes.Items).Status.Addresses).Address);
        Assert.Equal("deny", Assert.Single(policies.Items).Metadata.Name);
        Assert.Equal("2", Assert.Single(pods.Items).Metadata.ResourceVersion);
    }

    [Fact]
    public async Task List_items_omit_kind_and_api_version_like_the_real_server()
    {
        Server.Apply(Pod("default", "a"));
        using var http = new HttpClient { BaseAddress = Server.BaseUri };

        var body = await http.GetStringAsync("/api/v1/pods");

        Assert.StartsWith("""{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[{"metadata":{"name":"a",""", body);
    }

    [Fact]
    public async Task A_namespaced_list_holds_only_that_namespace()
    {
        Server.ApplyMany([PodJson("a", "p1"), PodJson("b", "p2"), PodJson("a", "p3")]);

        var pods = await Client.CoreV1.ListNamespacedPodAsync("a");

        Assert.Equal(["p1", "p3"], pods.Items.Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task Label_and_field_selectors_filter_the_list()
    {
        Server.ApplyMany([PodJson("a", "p1", "web"), PodJson("a", "p2", "db"), PodJson("b", "p3", "web"), PodJson("b", "p4")]);

        var web = await Client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "app=web");
        var notWeb = await Client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "app!=web");
        var inSet = await Client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "app in (db, web),app");
        var unlabelled = await Client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "!app");
        var named = await Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "metadata.name=p3");
        var webInB = await Client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "app==web", fieldSelector: "metadata.namespace=b");

        Assert.Equal(["p1", "p3"], web.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["p2", "p4"], notWeb.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["p1", "p2", "p3"], inSet.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["p4"], unlabelled.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["p3"], named.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["p3"], webInB.Items.Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task A_field_selector_can_look_into_spec_and_status()
    {
        Server.Apply(new V1Pod { Metadata = new V1ObjectMeta { Name = "on-w1", NamespaceProperty = "a" }, Spec = new V1PodSpec { NodeName = "w1", Containers = [] }, Status = new V1PodStatus { Phase = "Running" } });
        Server.Apply(new V1Pod { Metadata = new V1ObjectMeta { Name = "on-w2", NamespaceProperty = "a" }, Spec = new V1PodSpec { NodeName = "w2", Containers = [] }, Status = new V1PodStatus { Phase = "Pending" } });
        Server.Apply(new V1Pod { Metadata = new V1ObjectMeta { Name = "unscheduled", NamespaceProperty = "a" }, Spec = new V1PodSpec { Containers = [] } });

        var onW1 = await Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "spec.nodeName=w1");
        var unscheduled = await Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "spec.nodeName=");
        var notRunning = await Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "status.phase!=Running,metadata.namespace=a");

        Assert.Equal(["on-w1"], onW1.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["unscheduled"], unscheduled.Items.Select(p => p.Metadata.Name));
        Assert.Equal(["on-w2", "unscheduled"], notRunning.Items.Select(p => p.Metadata.Name));
    }

    [Fact]
    public async Task A_malformed_label_selector_is_a_400()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: "app in web"));

        Assert.Equal(HttpStatusCode.BadRequest, error.Response.StatusCode);
    }

    [Fact]
    public async Task Limit_and_continue_page_through_one_consistent_snapshot()
    {
        Server.ApplyMany(Enumerable.Range(0, 25).Select(i => PodJson("default", $"pod-{i:D2}")));
        var names = new List<string>();

        var page = await Client.CoreV1.ListNamespacedPodAsync("default", limit: 10);
        var listVersion = page.Metadata.ResourceVersion;
        Assert.Equal(15, page.Metadata.RemainingItemCount);
        names.AddRange(page.Items.Select(p => p.Metadata.Name));
        Server.Apply(PodJson("default", "pod-zz-added-during-paging"));
        while (page.Metadata.ContinueProperty is { } next)
        {
            page = await Client.CoreV1.ListNamespacedPodAsync("default", limit: 10, continueParameter: next);
            Assert.Equal(listVersion, page.Metadata.ResourceVersion);
            names.AddRange(page.Items.Select(p => p.Metadata.Name));
        }

        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"pod-{i:D2}"), names);
    }

    [Fact]
    public async Task A_continue_token_from_before_compaction_is_410_expired()
    {
        Server.ApplyMany(Enumerable.Range(0, 5).Select(i => PodJson("default", $"pod-{i}")));
        var page = await Client.CoreV1.ListPodForAllNamespacesAsync(limit: 2);

        Server.CompactHistory();
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ListPodForAllNamespacesAsync(limit: 2, continueParameter: page.Metadata.ContinueProperty));

        Assert.Equal(HttpStatusCode.Gone, error.Response.StatusCode);
        Assert.Contains("\"reason\":\"Expired\"", error.Response.Content);
    }

    [Fact]
    public async Task Resource_version_zero_and_an_older_one_get_the_current_state_and_a_future_one_is_504()
    {
        Server.Apply(Pod("default", "a"));
        Server.Apply(Pod("default", "b"));

        var any = await Client.CoreV1.ListPodForAllNamespacesAsync(resourceVersion: "0");
        var notOlderThan = await Client.CoreV1.ListPodForAllNamespacesAsync(resourceVersion: "1");
        var future = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ListPodForAllNamespacesAsync(resourceVersion: "99"));

        Assert.Equal(2, any.Items.Count);
        Assert.Equal("2", notOlderThan.Metadata.ResourceVersion);
        Assert.Equal(HttpStatusCode.GatewayTimeout, future.Response.StatusCode);
    }

    [Fact]
    public async Task Get_returns_one_object_and_404_with_a_status_when_missing()
    {
        Server.Apply(Pod("default", "a", podIp: "10.1.1.2"));

        var pod = await Client.CoreV1.ReadNamespacedPodAsync("a", "default");
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReadNamespacedPodAsync("b", "default"));

        Assert.Equal("10.1.1.2", pod.Status.PodIP);
        Assert.Equal("Pod", pod.Kind);
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(missing.Response.Content);
        Assert.Equal(("NotFound", 404, "pods \"b\" not found"), (status.Reason, status.Code!.Value, status.Message));
    }

    [Fact]
    public async Task An_unknown_resource_is_404()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseUri };

        var response = await http.GetAsync("/api/v1/configmaps");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
