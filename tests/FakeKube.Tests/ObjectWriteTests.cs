using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ContivKsr.FakeKube.Tests;

/// <summary>Writes through the HTTP API (what a client, not the test set-up, does) reach watches like Apply does.</summary>
public sealed class ObjectWriteTests : FakeKubeTestBase
{
    [Fact]
    public async Task Created_and_deleted_through_the_api_show_up_in_watches()
    {
        var recorder = new WatchRecorder<V1Pod>();
        using var watcher = Client.CoreV1.WatchListNamespacedPod("shop", resourceVersion: "0", onEvent: recorder.OnEvent, onError: recorder.OnError, onClosed: recorder.OnClosed);
        await WaitForWatchesAsync(1);

        var created = await Client.CoreV1.CreateNamespacedPodAsync(Pod("shop", "a"), "shop");
        var deleted = await Client.CoreV1.DeleteNamespacedPodAsync("a", "shop");

        var events = await recorder.NextAsync(2);
        Assert.Equal([(WatchEventType.Added, "1"), (WatchEventType.Deleted, "2")], events.Select(e => (e.Type, e.Object.Metadata.ResourceVersion)));
        Assert.Equal(created.Metadata.Uid, deleted.Metadata.Uid);
        Assert.Empty(Server.List("pods"));
    }

    [Fact]
    public async Task Generate_name_makes_a_unique_name_with_the_prefix()
    {
        var body = new V1Pod { Metadata = new V1ObjectMeta { GenerateName = "web-" }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "i" }] } };

        var first = await Client.CoreV1.CreateNamespacedPodAsync(body, "default");
        var second = await Client.CoreV1.CreateNamespacedPodAsync(body, "default");

        Assert.StartsWith("web-", first.Metadata.Name, StringComparison.Ordinal);
        Assert.NotEqual(first.Metadata.Name, second.Metadata.Name);
    }

    [Fact]
    public async Task A_body_in_another_namespace_than_the_url_is_400()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.CreateNamespacedPodAsync(Pod("other", "a"), "shop"));

        Assert.Equal(HttpStatusCode.BadRequest, error.Response.StatusCode);
        Assert.Empty(Server.List("pods"));
    }

    [Fact]
    public async Task Deleting_a_missing_object_is_404()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.DeleteNamespaceAsync("nope"));

        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
        Assert.Contains("namespaces \\\"nope\\\" not found", error.Response.Content);
    }
}
