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
        var stream = Stopwatch.StartNew();
        var streamed = await watched.NextAsync(Pods);
        stream.Stop();
        using var http = new HttpClient { BaseAddress = Server.BaseUri };
        var (raw, bytes) = await TwiceAsync(async () => (await http.GetByteArrayAsync("/api/v1/pods")).Length);
        var (list, pods) = await TwiceAsync(() => Client.CoreV1.ListPodForAllNamespacesAsync());
        var (pages, paged) = await TwiceAsync(async () =>
        {
            var items = 0;
            string? next = null;
            do
            {
                var page = await Client.CoreV1.ListPodForAllNamespacesAsync(limit: 500, continueParameter: next);
                items += page.Items.Count;
                next = page.Metadata.ContinueProperty;
            }
            while (next is not null);
            return items;
        });

        Assert.Equal(Pods, pods.Items.Count);
        Assert.Equal(Pods, paged);
        Assert.Equal((long)cluster.Count, Server.CurrentResourceVersion);
        Assert.All(streamed, e => Assert.Equal(WatchEventType.Added, e.Type));
        Assert.Equal(pods.Items.Select(p => p.Metadata.Name).Order(StringComparer.Ordinal), streamed.Select(e => e.Object.Metadata.Name).Order(StringComparer.Ordinal));
        output.WriteLine($"ApplyMany {cluster.Count} objects ({cluster.Sum(c => c.Length) / 1024 / 1024} MiB JSON) while a watch is open: {load.ElapsedMilliseconds} ms");
        output.WriteLine($"then the last of {Pods} ADDED events at the KubernetesClient watcher: {stream.ElapsedMilliseconds} ms later");
        output.WriteLine($"LIST {Pods} pods, raw HTTP ({bytes / 1024 / 1024} MiB), first/second: {raw}");
        output.WriteLine($"LIST {Pods} pods through KubernetesClient, first/second: {list}");
        output.WriteLine($"LIST {Pods} pods through KubernetesClient in pages of 500, first/second: {pages}");
    }

    /// <summary>Runs <paramref name="action"/> twice (cold, then warm); the timings as "N ms / M ms" and the last result.</summary>
    private static async Task<(string Timings, T Result)> TwiceAsync<T>(Func<Task<T>> action)
    {
        var first = Stopwatch.StartNew();
        await action();
        first.Stop();
        var second = Stopwatch.StartNew();
        var result = await action();
        second.Stop();
        return ($"{first.ElapsedMilliseconds} ms / {second.ElapsedMilliseconds} ms", result);
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
