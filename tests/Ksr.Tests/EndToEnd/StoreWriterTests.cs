using System.Text;
using ContivKsr.Ksr.Api;
using ContivKsr.Ksr.Store;
using ContivKsr.Kv;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContivKsr.Ksr.Tests.EndToEnd;

/// <summary>The batching writer against a real etcd.</summary>
[Collection(EtcdCollection.Name)]
public sealed class StoreWriterTests(EtcdFixture etcd) : IAsyncLifetime
{
    private const string Root = "vnf-agent/contiv-ksr/writer-test";

    public Task InitializeAsync() => etcd.Store.DeleteTreeAsync(Root);

    public Task DisposeAsync() => etcd.Store.DeleteTreeAsync(Root);

    [Fact]
    public async Task OnlyTheLastWriteOfAKeyCountsAndBurstsAreBatched()
    {
        var stats = new KsrStats([], () => false).Store;
        await using var writer = new StoreWriter(etcd.Store, StoreWriterOptions.Default with { Linger = TimeSpan.FromMilliseconds(20) }, NullLogger.Instance, stats);
        writer.Start();

        for (var i = 0; i < 2_000; i++)
        {
            writer.Enqueue(KvOperation.Put($"{Root}/k{i % 100}", Encoding.UTF8.GetBytes($"v{i}")));
        }

        writer.Enqueue(KvOperation.Delete($"{Root}/k0"));
        writer.Enqueue(KvOperation.Delete($"{Root}/never-written"));
        await writer.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(20));

        var stored = (await etcd.Store.ListAsync(Root)).ToDictionary(p => p.Key, p => p.ValueAsString());
        Assert.Equal(99, stored.Count);
        Assert.Equal("v1999", stored[$"{Root}/k99"]);
        Assert.Equal("v1901", stored[$"{Root}/k1"]);
        Assert.False(stored.ContainsKey($"{Root}/k0"));
        Assert.True(stats.Operations < 2_000, $"{stats.Operations} operations written for 2,000 changes of 100 keys");
        Assert.True(stats.Batches < stats.Operations);
        Assert.Equal(stats.Operations, stats.WriteLatencyCount);
    }

    [Fact]
    public async Task WritesQueuedWhileTheStoreIsDownAreWrittenWhenItReturns()
    {
        var stats = new KsrStats([], () => false).Store;
        var recovered = 0;
        await using var store = Kv.Stores.KvStores.Open(etcd.Config with { ConnectionTimeout = TimeSpan.FromSeconds(1) });
        await using var writer = new StoreWriter(store, StoreWriterOptions.Default with { OperationTimeout = TimeSpan.FromSeconds(1) }, NullLogger.Instance, stats);
        writer.Recovered += () => Interlocked.Increment(ref recovered);
        writer.Start();

        etcd.Server.Stop();
        try
        {
            writer.Enqueue(KvOperation.Put($"{Root}/a", Encoding.UTF8.GetBytes("1")));
            await Eventually.TrueAsync(() => Task.FromResult(!writer.Healthy), "a failed write");
            writer.Enqueue(KvOperation.Put($"{Root}/a", Encoding.UTF8.GetBytes("2")));
            writer.Enqueue(KvOperation.Put($"{Root}/b", Encoding.UTF8.GetBytes("3")));
        }
        finally
        {
            await etcd.Server.StartAgainAsync();
        }

        await writer.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("2", (await etcd.Store.GetAsync($"{Root}/a")).ValueAsString());
        Assert.Equal("3", (await etcd.Store.GetAsync($"{Root}/b")).ValueAsString());
        Assert.True(writer.Healthy);
        Assert.Equal(1, recovered);
        Assert.True(stats.WriteErrors >= 1);
    }
}
