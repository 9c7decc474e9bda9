using k8s;
using System.Net;
using k8s.Autorest;
using k8s.Models;

namespace ContivKsr.FakeKube.Tests;

public sealed class FailureTests : FakeKubeTestBase
{
    [Fact]
    public async Task Unavailable_answers_every_request_with_503_and_cuts_open_watches()
    {
        Server.Apply(Pod("default", "a"));
        var recorder = new WatchRecorder<V1Pod>();
        using var watcher = Client.CoreV1.WatchListPodForAllNamespaces(resourceVersion: "1", onEvent: recorder.OnEvent, onError: recorder.OnError, onClosed: recorder.OnClosed);
        await WaitForWatchesAsync(1);

        Server.Unavailable = true;
        var list = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ListPodForAllNamespacesAsync());
        var get = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReadNamespacedPodAsync("a", "default"));
        await recorder.WaitClosedAsync();
        Server.Unavailable = false;
        var after = await Client.CoreV1.ListPodForAllNamespacesAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, list.Response.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, get.Response.StatusCode);
        Assert.Contains("\"reason\":\"ServiceUnavailable\"", list.Response.Content);
        Assert.Single(after.Items);
    }

    [Fact]
    public async Task A_watch_opened_while_unavailable_is_refused_with_503()
    {
        Server.Unavailable = true;

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            Client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(watch: true, resourceVersion: "0"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Response.StatusCode);
        Assert.Equal(0, Server.OpenWatchCount);
    }

    [Fact]
    public async Task After_a_dropped_watch_a_client_resumes_from_its_last_version_without_loss()
    {
        var recorder = new WatchRecorder<V1Pod>();
        using (Client.CoreV1.WatchListPodForAllNamespaces(resourceVersion: "0", onEvent: recorder.OnEvent, onError: recorder.OnError, onClosed: recorder.OnClosed))
        {
            await WaitForWatchesAsync(1);
            Server.Apply(Pod("default", "a"));
            await recorder.NextAsync();
            Server.DropWatches();
            await recorder.WaitClosedAsync();
            Assert.IsAssignableFrom<IOException>(await recorder.NextErrorAsync());
        }

        Server.Apply(Pod("default", "b"));
        var resumed = new WatchRecorder<V1Pod>();
        using var watcher = Client.CoreV1.WatchListPodForAllNamespaces(resourceVersion: "1", onEvent: resumed.OnEvent, onError: resumed.OnError, onClosed: resumed.OnClosed);

        var (type, pod) = await resumed.NextAsync();
        Assert.Equal((k8s.WatchEventType.Added, "b"), (type, pod.Metadata.Name));
    }

    [Fact]
    public async Task Max_history_forgets_the_older_half_and_old_versions_get_410()
    {
        Server.MaxHistory = 4;
        Server.ApplyMany(Enumerable.Range(0, 5).Select(i => PodJson("default", $"p{i}")));
        var errors = new List<Exception>();
        var recent = new List<string>();

        await foreach (var _ in Client.CoreV1.WatchListPodForAllNamespacesAsync(resourceVersion: "1", onError: errors.Add))
        {
        }

        await foreach (var (_, pod) in Client.CoreV1.WatchListPodForAllNamespacesAsync(resourceVersion: "3", timeoutSeconds: 1, onError: errors.Add))
        {
            recent.Add(pod.Metadata.Name);
        }

        Assert.Equal("too old resource version: 1 (3)", Assert.IsType<KubernetesException>(Assert.Single(errors)).Status.Message);
        Assert.Equal(["p3", "p4"], recent);
    }
}
