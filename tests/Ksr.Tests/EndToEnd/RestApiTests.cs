using System.Net;
using System.Text.Json.Nodes;

namespace ContivKsr.Ksr.Tests.EndToEnd;

[Collection(EtcdCollection.Name)]
public sealed class RestApiTests(EtcdFixture etcd) : IAsyncLifetime
{
    private readonly HttpClient http = new();
    private KsrTestBed bed = null!;

    public async Task InitializeAsync() => bed = await KsrTestBed.StartAsync(etcd);

    public async Task DisposeAsync()
    {
        http.Dispose();
        await bed.DisposeAsync();
    }

    [Fact]
    public async Task TheLogLevelApiChangesWhatIsLogged()
    {
        var logs = new CapturingLoggerProvider();
        var daemon = await bed.StartDaemonAsync(logs: logs);
        var api = daemon.HttpAddress!;

        var list = JsonNode.Parse(await http.GetStringAsync(new Uri(api, "/log/list")))!.AsArray();
        Assert.Contains(list, entry => entry!["logger"]!.GetValue<string>() == "ksr-pod" && entry["level"]!.GetValue<string>() == "info");
        Assert.Equal(["ksr", "ksr-endpoints", "ksr-namespace", "ksr-node", "ksr-pod", "ksr-policy", "ksr-service", "ksr-store"],
            list.Select(e => e!["logger"]!.GetValue<string>()));

        bed.Kube.Apply(Objects.Pod("default", "quiet", "10.1.1.1"));
        await bed.ConvergedAsync();
        Assert.DoesNotContain(logs.Lines, line => line.Contains("quiet", StringComparison.Ordinal));

        using var put = await http.PutAsync(new Uri(api, "/log/ksr-pod/debug"), null);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        bed.Kube.Apply(Objects.Pod("default", "chatty", "10.1.1.2"));
        await bed.ConvergedAsync();
        await Eventually.TrueAsync(
            () => Task.FromResult(logs.Lines.Any(line => line.StartsWith("ksr-pod: ", StringComparison.Ordinal) && line.Contains("chatty added", StringComparison.Ordinal))),
            "the debug line of the new pod");

        using var unknownLogger = await http.PutAsync(new Uri(api, "/log/ksr-secret/debug"), null);
        Assert.Equal(HttpStatusCode.NotFound, unknownLogger.StatusCode);
        Assert.Contains("unknown logger", JsonNode.Parse(await unknownLogger.Content.ReadAsStringAsync())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        using var unknownLevel = await http.PutAsync(new Uri(api, "/log/ksr-pod/verbose"), null);
        Assert.Equal(HttpStatusCode.BadRequest, unknownLevel.StatusCode);
        Assert.Contains("unknown level", JsonNode.Parse(await unknownLevel.Content.ReadAsStringAsync())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbesStatisticsAndMetrics()
    {
        bed.Kube.Apply(Objects.Pod("default", "a", "10.1.1.1"));
        var daemon = await bed.StartDaemonAsync();
        var api = daemon.HttpAddress!;

        using var liveness = await http.GetAsync(new Uri(api, "/liveness"));
        using var readiness = await http.GetAsync(new Uri(api, "/readiness"));
        Assert.Equal(HttpStatusCode.OK, liveness.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);

        var stats = JsonNode.Parse(await http.GetStringAsync(new Uri(api, "/stats")))!;
        Assert.True(stats["ready"]!.GetValue<bool>());
        Assert.Equal(1, stats["reflectors"]!["pod"]!["adds"]!.GetValue<long>());
        Assert.True(stats["store"]!["operations"]!.GetValue<long>() >= 1);
        var latency = stats["store"]!["write_latency"]!;
        Assert.Equal(stats["store"]!["operations"]!.GetValue<long>(), latency["count"]!.GetValue<long>());

        using var metrics = await http.GetAsync(new Uri(api, "/metrics"));
        Assert.StartsWith("text/plain; version=0.0.4", metrics.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("contiv_ksr_objects_written_total{kind=\"pod\",change=\"add\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE contiv_ksr_resyncs_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("contiv_ksr_ready 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE contiv_ksr_store_write_latency_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Equal(latency["count"]!.GetValue<long>(), Sample(text, "contiv_ksr_store_write_latency_seconds_bucket{le=\"+Inf\"}"));
    }

    [Fact]
    public async Task TheWriteLatencyIsAPrometheusHistogram()
    {
        bed.Kube.Apply(Objects.Namespace("shop"));
        bed.Kube.Apply(Objects.Pod("shop", "a", "10.1.1.1"));
        bed.Kube.Apply(Objects.Pod("shop", "b", "10.1.1.2"));
        var daemon = await bed.StartDaemonAsync();
        await bed.ConvergedAsync();
        var api = daemon.HttpAddress!;

        var stats = JsonNode.Parse(await http.GetStringAsync(new Uri(api, "/stats")))!["store"]!;
        var text = await http.GetStringAsync(new Uri(api, "/metrics"));

        const string Name = "contiv_ksr_store_write_latency_seconds";
        var buckets = text.Split('\n')
            .Where(line => line.StartsWith(Name + "_bucket{le=\"", StringComparison.Ordinal))
            .Select(line => (Bound: line[(Name.Length + 12)..line.IndexOf('"', Name.Length + 12)], Count: (long)Sample(line, line[..line.IndexOf(' ', StringComparison.Ordinal)])))
            .ToList();
        Assert.Equal(["0.001", "0.002", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"], buckets.Select(b => b.Bound));
        Assert.True(buckets.Zip(buckets.Skip(1)).All(pair => pair.First.Count <= pair.Second.Count), "cumulative buckets");
        var count = Sample(text, Name + "_count");
        Assert.Equal(count, buckets[^1].Count);
        Assert.Equal(stats["operations"]!.GetValue<long>(), count);
        Assert.Equal(stats["write_latency"]!["count"]!.GetValue<long>(), count);
        Assert.True(count >= 3, $"{count} writes timed");
        var sum = Sample(text, Name + "_sum");
        Assert.True(sum > 0, $"sum {sum}");
        Assert.Equal(stats["write_latency"]!["sum_ms"]!.GetValue<double>() / 1000, sum, 3);
    }

    /// <summary>The value of the sample line that starts with <paramref name="series"/> and a space.</summary>
    private static double Sample(string text, string series)
    {
        var line = Assert.Single(text.Split('\n'), line => line.StartsWith(series + " ", StringComparison.Ordinal));
        return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task ReadinessWaitsForTheApiServer()
    {
        bed.Kube.Unavailable = true;
        var daemon = await bed.StartDaemonAsync(waitReady: false);

        using var before = await http.GetAsync(new Uri(daemon.HttpAddress!, "/readiness"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        var status = JsonNode.Parse(await before.Content.ReadAsStringAsync())!;
        Assert.Equal("ERROR", status["state"]!.GetValue<string>());
        Assert.StartsWith("initial sync: ", status["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        await Eventually.TrueAsync(() => Task.FromResult(daemon.Stats.Reflectors["pod"].Errors.GetValueOrDefault("list") >= 1), "a failed list");
        Assert.False(daemon.Ready);
        Assert.Equal("initial sync: listing from the Kubernetes API server", daemon.NotReadyReason);

        bed.Kube.Unavailable = false;
        await Eventually.TrueAsync(async () => (await http.GetAsync(new Uri(daemon.HttpAddress!, "/readiness"))).StatusCode == HttpStatusCode.OK, "ready");
    }
}
