using System.Diagnostics;
using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>An etcd of its own that the tests stop and start again (same ports and data).</summary>
public sealed class EtcdOutageFixture : IAsyncLifetime
{
    private EtcdServer? server;

    public EtcdServer Server => server ?? throw new InvalidOperationException("fixture not started");

    public async Task InitializeAsync() => server = await EtcdServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

[CollectionDefinition("etcd-outage")]
public sealed class EtcdOutageCollection : ICollectionFixture<EtcdOutageFixture>;

/// <summary>What a store does while etcd is down and after it is back.</summary>
[Collection("etcd-outage")]
public sealed class EtcdOutageTests(EtcdOutageFixture fixture)
{
    [Fact]
    public async Task CallsFailWithinTheTimeoutDuringAnOutageAndWatchesResumeAfterIt()
    {
        var timeout = TimeSpan.FromSeconds(1);
        await using var store = KvStores.Open(fixture.Server.Config(timeout));
        // A watcher whose timeout outlasts the outage rides it out and resumes where it was.
        await using var patient = KvStores.Open(fixture.Server.Config(TimeSpan.FromSeconds(20)));
        var key = $"outage/{Guid.NewGuid():N}";
        // A freshly started etcd may need a moment to elect itself leader: the patient store writes first.
        await patient.PutAsync(key, "before"u8.ToArray());
        await using var events = patient.WatchAsync(key).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        var next = events.MoveNextAsync().AsTask();

        fixture.Server.Stop();
        try
        {
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAsync<KvNotReachableException>(() => store.GetAsync(key));
            Assert.True(clock.Elapsed < timeout + TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        }
        finally
        {
            await fixture.Server.StartAgainAsync();
        }

        // A restarted etcd elects itself leader before it serves writes; the same store reconnects.
        await RetryUntilReachableAsync(() => store.PutAsync(key, "after"u8.ToArray()));

        Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal("after", events.Current.Pair.ValueAsString());

        Assert.Equal("after", (await store.GetAsync(key)).ValueAsString());
    }

    private static async Task RetryUntilReachableAsync(Func<Task> call)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await call();
                return;
            }
            catch (KvNotReachableException) when (clock.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(200);
            }
        }
    }
}
