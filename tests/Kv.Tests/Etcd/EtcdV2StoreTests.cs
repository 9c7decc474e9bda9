using System.Text.Json;
using ContivKsr.Kv.EtcdGateway;
using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>
/// <see cref="EtcdV2Store"/>, the v2 keys client behind <c>kvctl --backend etcdv2</c>:
/// what it writes etcdctl reads back in v2, and what etcdctl set it reads.
/// </summary>
[Collection("etcd-v2")]
public sealed class EtcdV2StoreTests(EtcdV2Fixture fixture) : IAsyncLifetime
{
    private readonly string root = "v2-store/" + Guid.NewGuid().ToString("N");
    private IKvStore store = null!;

    public Task InitializeAsync()
    {
        store = KvStores.Open(fixture.ConfigFor(KvBackend.EtcdV2));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    [Fact]
    public async Task PutWritesAV2KeyThatEtcdctlReadsAndV3DoesNotSee()
    {
        await store.PutAsync($"/{root}//a/", "[{\"type\":\"loopback\"}]"u8.ToArray());

        Assert.Equal("[{\"type\":\"loopback\"}]", await Etcdctl.V2GetAsync(fixture.Endpoint, $"/{root}/a"));
        Assert.False(await fixture.Store.ExistsAsync($"{root}/a"));
        Assert.Equal(KvBackend.EtcdV2, store.Backend);
    }

    [Fact]
    public async Task GetReadsWhatEtcdctlSetWithItsModifiedIndex()
    {
        await Etcdctl.V2SetAsync(fixture.Endpoint, $"{root}/b", "set by etcdctl");
        var first = await store.GetAsync($"{root}/b");
        await Etcdctl.V2SetAsync(fixture.Endpoint, $"{root}/b", "set again");
        var second = await store.GetAsync($"{root}/b");

        Assert.Equal(($"{root}/b", "set by etcdctl"), (first.Key, first.ValueAsString()));
        Assert.Equal("set again", second.ValueAsString());
        Assert.True(first.LastIndex > 0 && second.LastIndex > first.LastIndex, $"{first.LastIndex} then {second.LastIndex}");
    }

    [Fact]
    public async Task DeleteRemovesAValueAndRefusesMissingKeysAndDirectories()
    {
        await Etcdctl.V2SetAsync(fixture.Endpoint, $"{root}/dir/c", "x");

        await store.DeleteAsync($"{root}/dir/c");

        Assert.False(await store.ExistsAsync($"{root}/dir/c"));
        await Assert.ThrowsAsync<KvKeyNotFoundException>(() => store.DeleteAsync($"{root}/dir/c"));
        var directory = await Assert.ThrowsAnyAsync<KvException>(() => store.DeleteAsync($"{root}/dir"));
        Assert.Contains("directory", directory.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListIsRecursiveSortedAndNeverASibling()
    {
        foreach (var key in new[] { "d/z", "d/a", "d/sub/b", "dX/other", "d2" })
        {
            await Etcdctl.V2SetAsync(fixture.Endpoint, $"{root}/{key}", key);
        }

        await Etcdctl.V2MkdirAsync(fixture.Endpoint, $"{root}/d/empty");
        await Etcdctl.V2SetAsync(fixture.Endpoint, $"{root}/d/_hidden", "v2 hides names starting with '_'");

        var listed = await store.ListAsync($"{root}/d");

        Assert.Equal([$"{root}/d/a", $"{root}/d/sub/b", $"{root}/d/z"], listed.Select(p => p.Key));
        Assert.Equal(["d/a", "d/sub/b", "d/z"], listed.Select(p => p.ValueAsString()));
        Assert.Empty(await store.ListAsync($"{root}/none"));
        Assert.Empty(await store.ListAsync($"{root}/d2"));
        Assert.Contains($"{root}/d/a", (await store.ListAsync("")).Select(p => p.Key));
    }

    [Fact]
    public async Task PutWithTtlGivesTheNodeAnExpiry()
    {
        await store.PutAsync($"{root}/ttl", "short-lived"u8.ToArray(), new KvWriteOptions(TimeSpan.FromSeconds(90.5)));

        using var http = new EtcdV2Http(fixture.Endpoint);
        using var answer = JsonDocument.Parse(await http.GetJsonAsync($"{root}/ttl"));
        var ttl = answer.RootElement.GetProperty("node").GetProperty("ttl").GetInt64();
        Assert.InRange(ttl, 60, 91);
    }

    [Fact]
    public async Task ValuesThatAreNotUtf8AreRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync($"{root}/binary", new byte[] { 0xff, 0xfe }));

        Assert.False(await store.ExistsAsync($"{root}/binary"));
    }

    [Fact]
    public async Task EverythingElseIsNotSupported()
    {
        var pair = new KvPair("k", [], 1);
        var calls = new Func<Task>[]
        {
            () => store.DeleteTreeAsync(root),
            () => store.AtomicPutAsync("k", "v"u8.ToArray(), null),
            () => store.AtomicDeleteAsync("k", pair),
            () => store.WriteBatchAsync([]),
            async () => await store.WatchAsync("k").GetAsyncEnumerator().MoveNextAsync(),
            async () => await store.WatchTreeAsync(root).GetAsyncEnumerator().MoveNextAsync(),
            () => Task.FromResult(store.NewLock("k")),
        };

        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<KvCallNotSupportedException>(call);
            Assert.Contains("etcdv2", error.Message, StringComparison.Ordinal);
        }
    }
}
