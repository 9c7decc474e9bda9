using System.Diagnostics;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Xunit.Abstractions;

namespace ContivKsr.FakeKube.Tests;

/// <summary>
/// The benchmark's cluster size (200 namespaces, 10k pods, 1k policies) goes through the fake
/// completely. Timings are printed for information, never asserted.
/// </summary>
public sealed class ScaleTests(ITestOutputHelper output) : FakeKubeTestBase
{
    private const int Namespaces = 200;
    private const int Pods = 10_000;
    private const int Policies = 1_000;

    [Fact]
    public async Task Ten_thousand_pods_load_list_and_stream_completely()
    {
        var cluster = Cluster();
        var watched = new WatchRecorder<V1Pod>();
        using var watcher = Client.CoreV1.WatchListPodForAllNamespaces(resourceVersion: "0", onEvent: watched.OnEvent, onError: watched.OnError, onClosed: watched.OnClosed);
        await WaitForWatchesAsync(1);

        var load = Stopwatch.StartNew();
        Server.ApplyMany(cluster);
        load.Stop();
        using var http = new HttpClient { BaseAddress = Server.BaseUri };
        var raw = Stopwatch.StartNew();
        var bytes = (await http.GetByteArrayAsync("/api/v1/pods")).Length;
        raw.Stop();
        var firstList = Stopwatch.StartNew();
        await Client.CoreV1.ListPodForAllNamespacesAsync();
        firstList.Stop();
        var list = Stopwatch.StartNew();
        var pods = await Client.CoreV1.ListPodForAllNamespacesAsync();
        list.Stop();
        var stream = Stopwatch.StartNew();
        var streamed = await watched.NextAsync(Pods);
        stream.Stop();
        var pages = Stopwatch.StartNew();
        var paged = 0;
        string? next = null;
        do
        {
            var page = await Client.CoreV1.ListPodForAllNamespacesAsync(limit: 500, continueParameter: next);
            paged += page.Items.Count;
            next = page.Metadata.ContinueProperty;
        }
        while (next is not null);
        pages.Stop();

        Assert.Equal(Pods, pods.Items.Count);
        Assert.Equal(Pods, paged);
        Assert.Equal((long)cluster.Count, Server.CurrentResourceVersion);
        Assert.All(streamed, e => Assert.Equal(WatchEventType.Added, e.Type));
        Assert.Equal(pods.Items.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal), streamed.Select(e => e.Object.Metadata.Name).Order(StringComparer.Ordinal));
        output.WriteLine($"ApplyMany {cluster.Count} objects ({cluster.Sum(c => c.Length) / 1024 / 1024} MiB JSON): {load.ElapsedMilliseconds} ms");
        output.WriteLine($"LIST {Pods} pods, raw HTTP ({bytes / 1024 / 1024} MiB): {raw.ElapsedMilliseconds} ms");
        output.WriteLine($"LIST {Pods} pods through KubernetesClient: first {firstList.ElapsedMilliseconds} ms, second {list.ElapsedMilliseconds} ms");
        output.WriteLine($"LIST {Pods} pods in pages of 500: {pages.ElapsedMilliseconds} ms");
        output.WriteLine($"{Pods} ADDED events to one KubernetesClient watcher, waiting after the load and lists: {stream.ElapsedMilliseconds} ms");
    }

    /// <summary>Realistic objects: the pod sample (two containers, five ports, status) renamed per pod.</summary>
    private static List<string> Cluster()
    {
        var samples = Path.Combine(AppContext.BaseDirectory, "FakeKube", "Samples");
        var pod = JsonNode.Parse(File.ReadAllText(Path.Combine(samples, "pod-two-containers.json")))!;
        var policy = JsonNode.Parse(File.ReadAllText(Path.Combine(samples, "networkpolicy-docs-example.json")))!;
        var objects = new List<string>(Namespaces + Pods + Policies);
        for (var n = 0; n < Namespaces; n++)
        {
            var labels = new JsonObject { ["team"] = $"t{n % 7}" };
            objects.Add(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = $"ns-{n}", ["labels"] = labels } }.ToJsonString());
        }

        for (var p = 0; p < Pods; p++)
        {
            pod["metadata"]!["name"] = $"pod-{p}";
            pod["metadata"]!["namespace"] = $"ns-{p % Namespaces}";
            pod["status"]!["podIP"] = $"10.1.{p / 250}.{p % 250 + 1}";
            objects.Add(pod.ToJsonString());
        }

        for (var q = 0; q < Policies; q++)
        {
            policy["metadata"]!["name"] = $"policy-{q}";
            policy["metadata"]!["namespace"] = $"ns-{q % Namespaces}";
            objects.Add(policy.ToJsonString());
        }

        return objects;
    }
}
