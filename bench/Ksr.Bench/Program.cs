using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using ContivKsr.Kv;
using ContivKsr.Kv.Etcd.Core;
using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;
using ContivKsr.TestSupport.FakeKube;

// KSR sync benchmark: the real contiv-ksr executable against the fake API server (200 namespaces,
// 10,000 pods, 1,000 policies) and a local etcd. Prints start-to-ready time, pod update throughput
// with event-to-store latency percentiles, and the daemon's peak RSS.
const int Namespaces = 200, Pods = 10_000, Policies = 1_000;
const int WatchedPods = 100, PacedRate = 1_000, PacedSeconds = 5;

await using var etcd = await EtcdServer.StartAsync();
await using var kube = await FakeKubeApiServer.StartAsync();
using var work = new TempDirectory("ksr-bench-");
// Read the keys as the daemon writes them by default: with the Go KSR's leading '/'.
await using var store = KvStores.Open(etcd.Config() with { BackendOptions = new EtcdOptions { LeadingSlash = ContivKsr.Ksr.Config.EtcdV3ConfigFile.DefaultLeadingSlash } });

kube.ApplyMany(Enumerable.Range(0, Namespaces).Select(n => Json.Namespace($"ns-{n}")));
kube.ApplyMany(Enumerable.Range(0, Pods).Select(p => Json.Pod($"ns-{p % Namespaces}", $"pod-{p}", p, 0)));
kube.ApplyMany(Enumerable.Range(0, Policies).Select(p => Json.Policy($"ns-{p % Namespaces}", $"policy-{p}")));

var etcdConfig = Path.Combine(work.Path, "etcdv3.conf");
File.WriteAllText(etcdConfig, $"insecure-transport: true\nendpoints:\n  - \"{etcd.Endpoint}\"\n");
var port = FreePort.Next();
var httpConfig = Path.Combine(work.Path, "http.conf");
File.WriteAllText(httpConfig, $"endpoint: 127.0.0.1:{port}\n");
var kubeconfig = kube.WriteKubeconfig(Path.Combine(work.Path, "kubeconfig"));

// Run the daemon through the dotnet host explicitly: Environment.ProcessPath is this bench's own
// apphost when it is started directly, and handing it contiv-ksr.dll would start the bench again.
var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "contiv-ksr.dll"), "--etcdv3-config", etcdConfig, "--http-config", httpConfig, "--kube-config", kubeconfig })
{
    start.ArgumentList.Add(arg);
}

using var http = new HttpClient();
var clock = Stopwatch.StartNew();
using var ksr = Process.Start(start)!;
// The daemon's own account of its start (listing and writing times), printed with the figures.
var startLog = new List<string>();
ksr.OutputDataReceived += (_, e) =>
{
    if (e.Data is { } line && (line.Contains(" listed ", StringComparison.Ordinal) || line.Contains("initial sync done", StringComparison.Ordinal) || line.Contains("store holds", StringComparison.Ordinal)))
    {
        lock (startLog)
        {
            startLog.Add(line);
        }
    }
};
ksr.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
ksr.BeginOutputReadLine();
ksr.BeginErrorReadLine();
try
{
    while (!await Ready(http, port))
    {
        await Task.Delay(10);
    }

    var startToReady = clock.Elapsed;
    var keys = (await store.ListAsync("vnf-agent/contiv-ksr/k8s")).Count;

    // Paced updates: WatchedPods pods, each watched in etcd, updated round-robin at PacedRate/s.
    var sent = new Dictionary<int, long>();
    var latencies = new List<double>();
    var watchers = new CancellationTokenSource();
    var watches = Enumerable.Range(0, WatchedPods).Select(p => Task.Run(async () =>
    {
        try
        {
            await foreach (var change in store.WatchAsync($"vnf-agent/contiv-ksr/k8s/namespace/ns-{p % Namespaces}/pod/pod-{p}", watchers.Token))
            {
                var seq = Json.SequenceOf(change.Pair.ValueAsString());
                var now = clock.ElapsedTicks;
                lock (sent)
                {
                    if (seq > 0 && sent.Remove(seq, out var at))
                    {
                        latencies.Add((now - at) * 1000.0 / Stopwatch.Frequency);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    })).ToList();
    await Task.Delay(500);

    var latencyBefore = await WriteLatencyBuckets(http, port);
    var total = PacedRate * PacedSeconds;
    var paced = Stopwatch.StartNew();
    for (var seq = 1; seq <= total; seq++)
    {
        var target = TimeSpan.FromSeconds((double)seq / PacedRate);
        if (paced.Elapsed < target)
        {
            await Task.Delay(target - paced.Elapsed);
        }

        var pod = (seq - 1) % WatchedPods;
        lock (sent)
        {
            sent[seq] = clock.ElapsedTicks;
        }

        kube.Apply(Json.Pod($"ns-{pod % Namespaces}", $"pod-{pod}", pod, seq));
    }

    var sentIn = paced.Elapsed;
    var deadline = Stopwatch.StartNew();
    while (deadline.Elapsed < TimeSpan.FromSeconds(30))
    {
        lock (sent)
        {
            if (sent.Count == 0)
            {
                break;
            }
        }

        await Task.Delay(20);
    }

    var lost = sent.Count;
    var latencyAfter = await WriteLatencyBuckets(http, port);
    var internalLatency = latencyAfter.Select(b => (b.Bound, b.Count - latencyBefore.Single(a => a.Bound == b.Bound).Count)).ToList();
    await watchers.CancelAsync();
    await Task.WhenAll(watches);

    // Burst: every pod updated as fast as the fake takes it; time until KSR reports them all written.
    var before = await Updates(http, port);
    var burst = Stopwatch.StartNew();
    kube.ApplyMany(Enumerable.Range(0, Pods).Select(p => Json.Pod($"ns-{p % Namespaces}", $"pod-{p}", p, total + 1 + p)));
    while (await Updates(http, port) - before < Pods)
    {
        await Task.Delay(5);
    }

    var burstTime = burst.Elapsed;
    var peakRss = PeakRssMiB(ksr.Id);

    latencies.Sort();
    Console.WriteLine($"contiv-ksr sync benchmark ({Namespaces} namespaces, {Pods:N0} pods, {Policies:N0} policies; fake API server, local etcd)");
    Console.WriteLine($"  start to ready (store converged, {keys:N0} keys): {startToReady.TotalMilliseconds:F0} ms");
    Console.WriteLine($"  paced pod updates: {total:N0} sent at {total / sentIn.TotalSeconds:F0}/s, {latencies.Count:N0} seen in etcd, {lost} not seen");
    Console.WriteLine($"  event-to-store latency: p50 {Percentile(latencies, 0.50):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms, max {latencies.LastOrDefault():F1} ms");
    Console.WriteLine($"  contiv-ksr's own queue-to-store latency (its histogram): p50 <= {BucketPercentile(internalLatency, 0.50)} ms, p99 <= {BucketPercentile(internalLatency, 0.99)} ms");
    Console.WriteLine($"  burst: {Pods:N0} pod updates written in {burstTime.TotalMilliseconds:F0} ms = {Pods / burstTime.TotalSeconds:F0} updates/s");
    Console.WriteLine($"  peak RSS of contiv-ksr: {peakRss:F0} MiB");
    Console.WriteLine("  contiv-ksr's start log:");
    lock (startLog)
    {
        startLog.ForEach(line => Console.WriteLine("    " + line));
    }
}
finally
{
    if (!ksr.HasExited)
    {
        ksr.Kill(entireProcessTree: true);
        ksr.WaitForExit(5000);
    }
}

static async Task<bool> Ready(HttpClient http, int port)
{
    try
    {
        return (await http.GetAsync($"http://127.0.0.1:{port}/readiness")).StatusCode == HttpStatusCode.OK;
    }
    catch (HttpRequestException)
    {
        return false;
    }
}

static async Task<long> Updates(HttpClient http, int port)
{
    var stats = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/stats"))!;
    return stats["reflectors"]!["pod"]!["updates"]!.GetValue<long>();
}

// The cumulative buckets of contiv-ksr's write-latency histogram on /metrics, bounds in milliseconds.
static async Task<List<(string Bound, long Count)>> WriteLatencyBuckets(HttpClient http, int port)
{
    const string Bucket = "contiv_ksr_store_write_latency_seconds_bucket{le=\"";
    var text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
    return [.. text.Split('\n').Where(line => line.StartsWith(Bucket, StringComparison.Ordinal)).Select(line =>
    {
        var bound = line[Bucket.Length..line.IndexOf('"', Bucket.Length)];
        var count = (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        return (bound == "+Inf" ? bound : (double.Parse(bound, CultureInfo.InvariantCulture) * 1000).ToString(CultureInfo.InvariantCulture), count);
    })];
}

// The smallest bucket bound holding the percentile (buckets are cumulative).
static string BucketPercentile(List<(string Bound, long Count)> cumulative, double p)
{
    var total = cumulative[^1].Count;
    return total == 0 ? "n/a" : cumulative.First(b => b.Count >= p * total).Bound;
}

static double Percentile(List<double> sorted, double p) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static double PeakRssMiB(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
}

/// <summary>Kubernetes object JSON of the benchmark's cluster.</summary>
internal static class Json
{
    private const string SequenceAnnotation = "contivpp.io/bench-seq";

    public static string Namespace(string name) =>
        $$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{name}}","labels":{"bench":"ksr"} } }""";

    /// <summary>A pod whose contivpp.io annotation carries a sequence number, so the stored value tells which update it is.</summary>
    public static string Pod(string ns, string name, int index, int sequence) =>
        $$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{name}}","namespace":"{{ns}}","labels":{"app":"app-{{index % 50}}","tier":"web"},
         "annotations":{"{{SequenceAnnotation}}":"{{sequence}}"} },
         "spec":{"containers":[{"name":"c","image":"nginx","ports":[{"name":"http","containerPort":80,"protocol":"TCP"}]}]},
         "status":{"phase":"Running","hostIP":"192.168.{{index / 250 % 256}}.1","podIP":"10.{{index / 65536 % 256}}.{{index / 256 % 256}}.{{index % 256}}"} }
        """;

    public static string Policy(string ns, string name) =>
        $$"""
        {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"{{name}}","namespace":"{{ns}}"},
         "spec":{"podSelector":{"matchLabels":{"tier":"web"} },"policyTypes":["Ingress"],
                 "ingress":[{"from":[{"podSelector":{"matchLabels":{"role":"frontend"} } }],"ports":[{"protocol":"TCP","port":80}]}]} }
        """;

    public static int SequenceOf(string value)
    {
        // Values are jsonpb's compact JSON: no space after the colon.
        var marker = $"\"{SequenceAnnotation}\":\"";
        var at = value.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return 0;
        }

        var end = value.IndexOf('"', at + marker.Length);
        return int.Parse(value.AsSpan(at + marker.Length, end - at - marker.Length), CultureInfo.InvariantCulture);
    }
}
