using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ContivKsr.FakeKube.Tests;

public sealed class WatchTests : FakeKubeTestBase
{
    [Fact]
    public async Task A_watch_from_the_list_version_streams_added_modified_deleted()
    {
        Server.Apply(Pod("default", "existing"));
        var list = await Client.CoreV1.ListPodForAllNamespacesAsync();
        var recorder = new WatchRecorder<V1Pod>();
        using var watcher = Client.CoreV1.WatchListPodForAllNamespaces(resourceVersion: list.Metadata.ResourceVersion, onEvent: recorder.OnEvent, onError: recorder.OnError, onClosed: recorder.OnClosed);
        await WaitForWatchesAsync(1);

        Server.Apply(Pod("default", "web", podIp: null));
        Server.Apply(Pod("default", "web", podIp: "10.1.1.9"));
        Assert.True(Server.Delete("pods", "default", "web"));

        var events = await recorder.NextAsync(3);
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal("web", e.Object.Metadata.Name));
        Assert.Equal(["2", "3", "4"], events.Select(e => e.Object.Metadata.ResourceVersion));
        Assert.Equal("10.1.1.9", events[2].Object.Status.PodIP);
        Assert.Equal(4L, Server.CurrentResourceVersion);
        Assert.Contains("GET /api/v1/pods?resourceVersion=1&watch=true", Server.RequestLog);
    }

    [Fact]
    public async Task A_watch_from_an_older_version_replays_the_history_after_it()
    {
        Server.Apply(Pod("default", "a"));
        var from = Server.CurrentResourceVersion.ToString();
        Server.Apply(Pod("default", "b"));
        Server.Apply(Pod("default", "a", podIp: "10.1.1.1"));
        Server.Delete("pods", "default", "b");
        var recorder = new WatchRecorder<V1Pod>();

        using var watcher = Client.CoreV1.WatchListPodForAllNamespaces(resourceVersion: from, onEvent: recorder.OnEvent, onError: recorder.OnError, onClosed: recorder.OnClosed);

        var events = await recorder.NextAsync(3);
        Assert.Equal(
            [(WatchEventType.Added, "b"), (WatchEventType.Modified, "a"), (WatchEventType.Deleted, "b")],
            events.Select(e => (e.Type, e.Object.Metadata.Name)));
    }

    [Fact]
    public async Task A_watch_without_a_version_starts_with_added_for_every_object()
    {
        Server.ApplyMany([PodJson("a", "p1"), PodJson("b", "p2")]);
        var recorder = new WatchRecorder<V1Pod>();

        using var watcher = Client.CoreV1.WatchListPodForAllNamespaces(onEvent: recorder.OnEvent, onError: recorder.OnError, onClosed: recorder.OnClosed);
        var initial = await recorder.NextAsync(2);
        Server.Apply(PodJson("a", "p3"));

        Assert.Equal([(WatchEventType.Added, "p1"), (WatchEventType.Added, "p2")], initial.Select(e => (e.Type, e.Object.Metadata.Name)));
        Assert.Equal((WatchEventType.Added, "p3"), await recorder.NextAsync() is var live ? (live.Type, live.Object.Metadata.Name) : default);
    }

    [Fact]
    public async Task A_namespaced_watch_sees_only_its_namespace()
    {
        var recorder = new WatchRecorder<V1Pod>();
        using var watcher = Client.CoreV1.WatchListNamespacedPod("a", resourceVersion: "0", onEvent: recorder.OnEvent, onError: recorder.OnError, onClosed: recorder.OnClosed);
        await WaitForWatchesAsync(1);

        Server.ApplyMany([PodJson("b", "other"), PodJson("a", "mine")]);

        var (type, pod) = await recorder.NextAsync();
        Assert.Equal((WatchEventType.Added, "a", "mine"), (type, pod.Metadata.NamespaceProperty, pod.Metadata.Name));
    }

    [Fact]
    public async Task A_label_selector_watch_sees_objects_enter_and_leave_its_view()
    {
        Server.Apply(PodJson("default", "p", "db"));
        var recorder = new WatchRecorder<V1Pod>();
        using var watcher = Client.CoreV1.WatchListPodForAllNamespaces(
            labelSelector: "app=web", resourceVersion: Server.CurrentResourceVersion.ToString(), onEvent: recorder.OnEvent, onError: recorder.OnError, onClosed: recorder.OnClosed);
        await WaitForWatchesAsync(1);

        Server.Apply(PodJson("default", "p", "web"));
        Server.Apply(PodJson("default", "p", "web"));
        Server.Apply(PodJson("default", "p", "db"));

        var events = await recorder.NextAsync(3);
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type));
    }

    [Fact]
    public async Task After_compaction_an_old_version_gets_410_which_the_client_reports_through_on_error()
    {
        Server.Apply(Pod("default", "a"));
        Server.Apply(Pod("default", "b"));
        Server.CompactHistory();
        var recorder = new WatchRecorder<V1Pod>();

        using var watcher = Client.CoreV1.WatchListPodForAllNamespaces(resourceVersion: "1", onEvent: recorder.OnEvent, onError: recorder.OnError, onClosed: recorder.OnClosed);

        var error = Assert.IsType<KubernetesException>(await recorder.NextErrorAsync());
        await recorder.WaitClosedAsync();
        Assert.Equal(410, error.Status.Code);
        Assert.Equal("Expired", error.Status.Reason);
        Assert.Equal("too old resource version: 1 (2)", error.Status.Message);
        Assert.Empty(recorder.Pending());
        Assert.Equal(0, Server.OpenWatchCount);
    }

    [Fact]
    public async Task The_410_is_an_error_event_holding_a_status_on_the_wire()
    {
        Server.Apply(Pod("default", "a"));
        Server.Apply(Pod("default", "b"));
        Server.CompactHistory();
        using var http = new HttpClient { BaseAddress = Server.BaseUri };

        var body = await http.GetStringAsync("/api/v1/namespaces/default/pods?watch=1&resourceVersion=1");

        Assert.Equal(
            """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (2)","reason":"Expired","code":410}}""" + "\n",
            body);
    }

    [Fact]
    public async Task The_compacted_version_itself_is_still_watchable()
    {
        Server.Apply(Pod("default", "a"));
        Server.CompactHistory();
        var recorder = new WatchRecorder<V1Pod>();

        using var watcher = Client.CoreV1.WatchListPodForAllNamespaces(
            resourceVersion: Server.CurrentResourceVersion.ToString(), onEvent: recorder.OnEvent, onError: recorder.OnError, onClosed: recorder.OnClosed);
        await WaitForWatchesAsync(1);
        Server.Apply(Pod("default", "b"));

        Assert.Equal("b", (await recorder.NextAsync()).Object.Metadata.Name);
    }

    [Fact]
    public async Task Dropping_watches_closes_the_client_watch()
    {
        var recorder = new WatchRecorder<V1Pod>();
        using var watcher = Client.CoreV1.WatchListPodForAllNamespaces(resourceVersion: "0", onEvent: recorder.OnEvent, onError: recorder.OnError, onClosed: recorder.OnClosed);
        await WaitForWatchesAsync(1);

        Server.DropWatches();

        await recorder.WaitClosedAsync();
        Assert.IsAssignableFrom<HttpRequestException>(await recorder.NextErrorAsync());
        Assert.False(watcher.Watching);
        Assert.Equal(0, Server.OpenWatchCount);
    }

    [Fact]
    public async Task Timeout_seconds_ends_the_stream_cleanly()
    {
        Server.Apply("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}""");
        var recorder = new WatchRecorder<V1Namespace>();
        using var watcher = Client.CoreV1.WatchListNamespace(resourceVersion: "0", timeoutSeconds: 1, onEvent: recorder.OnEvent, onError: recorder.OnError, onClosed: recorder.OnClosed);

        await recorder.WaitClosedAsync();

        Assert.Equal((WatchEventType.Added, "a"), (await recorder.NextAsync()) is var e ? (e.Type, e.Object.Metadata.Name) : default);
        Assert.Empty(recorder.Errors());
        Assert.Equal(0, Server.OpenWatchCount);
    }

    [Fact]
    public async Task A_timed_out_watch_with_no_events_ends_with_the_final_chunk()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseUri };
        using var response = await http.GetAsync("/api/v1/namespaces?watch=true&resourceVersion=0&timeoutSeconds=1", HttpCompletionOption.ResponseHeadersRead);

        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task KubernetesClient_reports_an_empty_watch_that_ended_as_an_error_then_closes()
    {
        // A quirk of the client, written down for reflector authors: a stream that ends cleanly
        // before its first line (the server-side test above) reaches onError as an
        // HttpRequestException (EndOfStreamException inside), then onClosed. Treat onError + onClosed as "watch again".
        var recorder = new WatchRecorder<V1Namespace>();
        using var watcher = Client.CoreV1.WatchListNamespace(resourceVersion: "0", timeoutSeconds: 1, onEvent: recorder.OnEvent, onError: recorder.OnError, onClosed: recorder.OnClosed);

        await recorder.WaitClosedAsync();

        Assert.IsType<HttpRequestException>(Assert.Single(recorder.Errors()));
        Assert.Empty(recorder.Pending());
    }

    [Fact]
    public async Task Bookmarks_go_only_to_watches_that_asked_for_them()
    {
        var withBookmarks = new WatchRecorder<V1NetworkPolicy>();
        var without = new WatchRecorder<V1NetworkPolicy>();
        using var first = Client.NetworkingV1.WatchListNetworkPolicyForAllNamespaces(allowWatchBookmarks: true, resourceVersion: "0", onEvent: withBookmarks.OnEvent, onError: withBookmarks.OnError, onClosed: withBookmarks.OnClosed);
        using var second = Client.NetworkingV1.WatchListNetworkPolicyForAllNamespaces(resourceVersion: "0", onEvent: without.OnEvent, onError: without.OnError, onClosed: without.OnClosed);
        await WaitForWatchesAsync(2);
        Server.Apply(Pod("default", "unrelated"));

        Server.SendBookmarks();
        Server.Apply("""{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"deny","namespace":"default"},"spec":{"podSelector":{}}}""");

        var bookmark = await withBookmarks.NextAsync();
        Assert.Equal(WatchEventType.Bookmark, bookmark.Type);
        Assert.Equal("1", bookmark.Object.Metadata.ResourceVersion);
        Assert.Equal(WatchEventType.Added, (await withBookmarks.NextAsync()).Type);
        var only = await without.NextAsync();
        Assert.Equal((WatchEventType.Added, "deny"), (only.Type, only.Object.Metadata.Name));
    }

    [Fact]
    public async Task Watch_async_enumeration_reports_the_410_to_on_error_and_ends()
    {
        Server.Apply(Pod("default", "a"));
        Server.Apply(Pod("default", "b"));
        Server.CompactHistory();
        var errors = new List<Exception>();
        var received = 0;

        await foreach (var _ in Client.CoreV1.WatchListPodForAllNamespacesAsync(resourceVersion: "1", onError: errors.Add))
        {
            received++;
        }

        Assert.Equal(0, received);
        Assert.Equal(410, Assert.IsType<KubernetesException>(Assert.Single(errors)).Status.Code);
    }

    [Fact]
    public async Task Send_initial_events_ends_the_initial_added_events_with_a_marked_bookmark()
    {
        Server.Apply(Pod("default", "a"));
        using var http = new HttpClient { BaseAddress = Server.BaseUri };

        var body = await http.GetStringAsync("/api/v1/pods?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1");

        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("""{"type":"ADDED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a",""", lines[0]);
        Assert.Equal("""{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"1","annotations":{"k8s.io/initial-events-end":"true"}}}}""", lines[1]);
    }

    [Fact]
    public async Task Concurrent_writers_reach_a_watcher_once_each_in_resource_version_order()
    {
        var recorder = new WatchRecorder<V1Pod>();
        using var watcher = Client.CoreV1.WatchListPodForAllNamespaces(resourceVersion: "0", onEvent: recorder.OnEvent, onError: recorder.OnError, onClosed: recorder.OnClosed);
        await WaitForWatchesAsync(1);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(() =>
        {
            for (var i = 0; i < 250; i++)
            {
                Server.Apply(PodJson($"ns-{writer}", $"pod-{i}"));
            }
        })));
        var events = await recorder.NextAsync(1000);

        var versions = events.Select(e => long.Parse(e.Object.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, 1000).Select(v => (long)v), versions);
        Assert.Equal(1000, events.Select(e => $"{e.Object.Metadata.NamespaceProperty}/{e.Object.Metadata.Name}").Distinct().Count());
    }

    [Fact]
    public async Task The_watch_of_one_object_by_its_own_url_sees_only_that_object()
    {
        Server.ApplyMany([PodJson("default", "a"), PodJson("default", "b")]);
        using var http = new HttpClient { BaseAddress = Server.BaseUri };

        var body = await http.GetStringAsync("/api/v1/namespaces/default/pods/b?watch=t&timeoutSeconds=1");

        var line = Assert.Single(body.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("""{"type":"ADDED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"b",""", line);
    }
}
