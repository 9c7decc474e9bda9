using System.Diagnostics;
using System.Net;
using ContivKsr.Ksr.Config;
using ContivKsr.Ksr.Keys;
using ContivKsr.Ksr.Kinds;
using ContivKsr.Ksr.Reflection;
using ContivKsr.Ksr.Store;
using ContivKsr.Kv;
using ContivKsr.TestSupport.FakeKube;

namespace ContivKsr.Ksr.Tests.EndToEnd;

/// <summary>
/// A fresh fake API server, an emptied KSR tree in the shared store (etcd or ZooKeeper), and
/// in-process daemons on them. Everything it starts is stopped when disposed.
/// </summary>
public sealed class KsrTestBed : IAsyncDisposable
{
    public static readonly KeyLayout Layout = new();

    private readonly List<KsrDaemon> daemons = [];
    private readonly KvStoreConfig storeConfig;

    private KsrTestBed(IKvStore store, KvStoreConfig storeConfig, FakeKubeApiServer kube)
    {
        Store = store;
        this.storeConfig = storeConfig;
        Kube = kube;
    }

    public FakeKubeApiServer Kube { get; }

    /// <summary>The test's own client of the store KSR writes to.</summary>
    public IKvStore Store { get; }

    public static Task<KsrTestBed> StartAsync(EtcdFixture etcd) => StartAsync(etcd.Store, etcd.Config with { ConnectionTimeout = TimeSpan.FromSeconds(2) });

    public static async Task<KsrTestBed> StartAsync(IKvStore store, KvStoreConfig storeConfig)
    {
        await store.DeleteTreeAsync("vnf-agent");
        return new KsrTestBed(store, storeConfig, await FakeKubeApiServer.StartAsync());
    }

    public KsrSettings Settings(Func<KsrSettings, KsrSettings>? change = null)
    {
        var settings = new KsrSettings
        {
            Store = new StoreSettings(storeConfig, TimeSpan.FromSeconds(2)),
            Kube = Kube.ClientConfiguration,
            HttpEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
            StoreProbeInterval = TimeSpan.FromMilliseconds(200),
            ResyncInterval = TimeSpan.FromMinutes(30),
            Reflector = new ReflectorOptions(300, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1)),
        };
        return change is null ? settings : change(settings);
    }

    public async Task<KsrDaemon> StartDaemonAsync(KsrSettings? settings = null, CapturingLoggerProvider? logs = null, bool waitReady = true)
    {
        var daemon = new KsrDaemon(settings ?? Settings(), logs);
        daemons.Add(daemon);
        await daemon.StartAsync();
        if (waitReady)
        {
            await Eventually.TrueAsync(() => Task.FromResult(daemon.Ready), "daemon ready");
        }

        return daemon;
    }

    public async Task StopDaemonAsync(KsrDaemon daemon)
    {
        daemons.Remove(daemon);
        await daemon.DisposeAsync();
    }

    /// <summary>Every key KSR owns in the store, with its value as text (binary values as base64).</summary>
    public async Task<Dictionary<string, string>> StoredAsync()
    {
        var pairs = await Store.ListAsync(Layout.DataRoot);
        return pairs.ToDictionary(p => p.Key, p => Text(p.Value), StringComparer.Ordinal);
    }

    /// <summary>What the store must hold for the fake's current objects: the converters' values under the layout's keys.</summary>
    public Dictionary<string, string> Expected(KeyLayout? layout = null, ValueFormat format = ValueFormat.Json)
    {
        layout ??= Layout;
        var codec = new ValueCodec(format);
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kind in ResourceKind.All)
        {
            foreach (var json in Kube.List(kind.Resource))
            {
                expected[KindSamples.KeyOf(layout, kind, json)] = Text(codec.Encode(KindSamples.Convert(kind, json)));
            }
        }

        return expected;
    }

    /// <summary>Waits until the store holds exactly <see cref="Expected"/> (no missing, different or stale key).</summary>
    public Task ConvergedAsync(TimeSpan? timeout = null, KeyLayout? layout = null, ValueFormat format = ValueFormat.Json) => Eventually.TrueAsync(async () =>
    {
        var stored = await StoredAsync();
        var expected = Expected(layout, format);
        return stored.Count == expected.Count && expected.All(e => stored.TryGetValue(e.Key, out var value) && value == e.Value);
    }, "store converged to the cluster", timeout, async () =>
    {
        var stored = await StoredAsync();
        var expected = Expected(layout, format);
        var missing = expected.Keys.Where(k => !stored.ContainsKey(k));
        var stale = stored.Keys.Where(k => !expected.ContainsKey(k));
        var different = expected.Keys.Where(k => stored.TryGetValue(k, out var v) && v != expected[k]);
        return $"missing: {string.Join(", ", missing)}; stale: {string.Join(", ", stale)}; different: {string.Join(", ", different)}";
    });

    /// <summary>Every value KSR wrote decodes as its kind's model with unknown fields rejected, as contiv's agents (jsonpb) read it.</summary>
    public async Task AssertEveryValueDecodesAsync(KeyLayout? layout = null, ValueFormat format = ValueFormat.Json)
    {
        layout ??= Layout;
        var codec = new ValueCodec(format);
        foreach (var pair in await Store.ListAsync(layout.DataRoot))
        {
            Assert.True(layout.TryParse(pair.Key, out var key), $"{pair.Key} is no KSR key");
            codec.Decode(key.Kind.Model, pair.Value);
        }
    }

    private static string Text(byte[] value) =>
        System.Text.Unicode.Utf8.IsValid(value) ? System.Text.Encoding.UTF8.GetString(value) : Convert.ToBase64String(value);

    public async ValueTask DisposeAsync()
    {
        foreach (var daemon in daemons)
        {
            await daemon.DisposeAsync();
        }

        await Kube.DisposeAsync();
    }
}

/// <summary>Polls a condition; the tests wait for outcomes, never for fixed times.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Func<Task<string>>? explain = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        while (deadline.Elapsed < limit)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        var detail = explain is null ? "" : ": " + await explain();
        Assert.Fail($"timed out after {limit.TotalSeconds} s waiting for {what}{detail}");
    }
}
