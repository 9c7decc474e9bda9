using System.Diagnostics;
using System.Globalization;
using ContivKsr.Kv;
using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;

// For each real backend (a local etcd and ZooKeeper it starts): writes N keys one Put at a time
// (what the Go KSR did) and as one WriteBatchAsync (etcd Txns of 128, ZooKeeper multi of 200),
// lists them back, and times single Gets (each a full round trip); prints medians over rounds.
// Usage: kv-store-bench [KEYS] [etcd|zookeeper ...]   (default: 2000 keys, both backends)
var keys = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
var backends = args.Length > 1 ? args[1..] : [KvBackend.Etcd, KvBackend.ZooKeeper];
foreach (var backend in backends)
{
    await using var server = KvBackend.Parse(backend) switch
    {
        KvBackend.Etcd => (IKvTestServer)await EtcdServer.StartAsync(),
        KvBackend.ZooKeeper => await ZooKeeperServer.StartAsync(),
        var other => throw new ArgumentException($"no real {other} server can run here (Consul is only emulated)"),
    };
    await RunAsync(KvBackend.Parse(backend), server, keys);
}

static async Task RunAsync(string backend, IKvTestServer server, int keys)
{
    const int rounds = 5;
    var value = new byte[600];
    Random.Shared.NextBytes(value);

    await using var store = KvStores.Open(server.Config(TimeSpan.FromSeconds(30)));
    await store.PutAsync("bench/warm-up", value);

    var sequential = new List<double>();
    var batched = new List<double>();
    var listed = new List<double>();
    var gets = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        var one = Stopwatch.StartNew();
        for (var i = 0; i < keys; i++)
        {
            await store.PutAsync($"bench/seq/{round}/{i:D6}", value);
        }

        sequential.Add(one.Elapsed.TotalMilliseconds);

        var operations = Enumerable.Range(0, keys).Select(i => KvOperation.Put($"bench/batch/{round}/{i:D6}", value)).ToList();
        var batch = Stopwatch.StartNew();
        await store.WriteBatchAsync(operations);
        batched.Add(batch.Elapsed.TotalMilliseconds);

        var list = Stopwatch.StartNew();
        var pairs = await store.ListAsync($"bench/batch/{round}");
        listed.Add(list.Elapsed.TotalMilliseconds);
        if (pairs.Count != keys)
        {
            throw new InvalidOperationException($"listed {pairs.Count} keys, wrote {keys}");
        }

        var get = Stopwatch.StartNew();
        for (var i = 0; i < 500; i++)
        {
            await store.GetAsync($"bench/batch/{round}/{i % keys:D6}");
        }

        gets.Add(get.Elapsed.TotalMilliseconds / 500);
}

var seq = Median(sequential);
var bat = Median(batched);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{backend} store bench: {keys} keys of {value.Length} bytes, median of {rounds} rounds, server {server.Endpoint}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  one Put per key : {seq,9:0.0} ms  {keys / seq * 1000,9:0} writes/s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  WriteBatchAsync : {bat,9:0.0} ms  {keys / bat * 1000,9:0} writes/s  ({seq / bat:0.0}x faster)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ListAsync       : {Median(listed),9:0.0} ms  for {keys} keys"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  GetAsync        : {Median(gets),9:0.000} ms  per key, one at a time"));
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
