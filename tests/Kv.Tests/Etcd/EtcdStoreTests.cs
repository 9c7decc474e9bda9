using System.Diagnostics;
using System.Text;
using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>etcd-specific behaviour beyond the conformance suite, on the shared real etcd.</summary>
[Collection("etcd")]
public sealed class EtcdStoreTests(EtcdFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private IKvStore Store => fixture.Store;

    [Fact]
    public async Task FailsOverFromAClosedPortToTheRunningServer()
    {
        var config = fixture.Config with
        {
            Endpoints = [$"127.0.0.1:{FreePort.Closed()}", fixture.Server.Endpoint],
            ConnectionTimeout = TimeSpan.FromSeconds(3),
        };
        await using var store = KvStores.Open(config);
        var key = $"{Root()}/failover";

        var clock = Stopwatch.StartNew();
        await store.PutAsync(key, Bytes("reached"));

        Assert.Equal("reached", (await store.GetAsync(key)).ValueAsString());
        Assert.True(clock.Elapsed < config.ConnectionTimeout, $"failover took {clock.Elapsed}");
        await using var events = store.WatchAsync(key).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
        await Store.PutAsync(key, Bytes("seen through the failed-over watch"));
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal("seen through the failed-over watch", events.Current.Pair.ValueAsString());
    }

    [Fact]
    public async Task AllEndpointsClosedFailsWithNotReachableNamingThem()
    {
        var closed = new[] { $"127.0.0.1:{FreePort.Closed()}", $"127.0.0.1:{FreePort.Closed()}" };
        await using var store = KvStores.Open(fixture.Config with { Endpoints = closed, ConnectionTimeout = TimeSpan.FromSeconds(1) });

        var error = await Assert.ThrowsAsync<KvNotReachableException>(() => store.ListAsync("any"));

        Assert.Contains(closed[0], error.Message, StringComparison.Ordinal);
        Assert.Contains(closed[1], error.Message, StringComparison.Ordinal);
        Assert.IsType<Grpc.Core.RpcException>(error.InnerException);
    }

    [Fact]
    public async Task WatchesLocksAndDeletesOfAnUnreachableStoreFailInTime()
    {
        var timeout = TimeSpan.FromSeconds(1);
        await using var store = KvStores.Open(fixture.UnreachableConfig(timeout));
        await using var held = store.NewLock("lock");
        var calls = new Func<Task>[]
        {
            () => store.GetAsync("k"),
            () => store.DeleteAsync("k"),
            () => store.DeleteTreeAsync("d"),
            () => store.AtomicDeleteAsync("k", new KvPair("k", [], 5)),
            async () => await store.WatchAsync("k").GetAsyncEnumerator().MoveNextAsync(),
            async () => await store.WatchTreeAsync("d").GetAsyncEnumerator().MoveNextAsync(),
            () => held.LockAsync(),
        };

        foreach (var call in calls)
        {
            var clock = Stopwatch.StartNew();
            var error = await Record.ExceptionAsync(call).WaitAsync(Patience);
            Assert.IsType<KvNotReachableException>(error);
            Assert.True(clock.Elapsed < timeout + TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        }
    }

    [Fact]
    public async Task KeysAreStoredNormalisedAndLastIndexIsTheModRevision()
    {
        var key = $"/{Root()}//normal/";
        await Store.PutAsync(key, Bytes("v"));
        using var admin = new EtcdAdmin(fixture.Server.Endpoint);

        var raw = await admin.Client.GetAsync(KvKey.Normalize(key));

        var stored = Assert.Single(raw.Kvs);
        Assert.Equal((await Store.GetAsync(key)).LastIndex, stored.ModRevision);
    }

    [Fact]
    public async Task AtomicPutWithTtlExpiresAndReturnsTheNewRevision()
    {
        var key = $"{Root()}/atomic-ttl";

        var created = await Store.AtomicPutAsync(key, Bytes("lease"), previous: null, new KvWriteOptions(TimeSpan.FromMilliseconds(1500)));

        Assert.Equal(created.LastIndex, (await Store.GetAsync(key)).LastIndex);
        using var admin = new EtcdAdmin(fixture.Server.Endpoint);
        Assert.NotEqual(0, await admin.LeaseOfAsync(key));
        await WaitUntilAsync(async () => !await Store.ExistsAsync(key), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task BatchOfManyOpsWithRepeatedKeysAcrossChunksEndsInTheLastWrite()
    {
        var root = Root();
        var operations = new List<KvOperation>();
        for (var i = 0; i < 400; i++)
        {
            // 40 keys written over and over, so repeats fall inside and across the 128-op chunks.
            operations.Add(KvOperation.Put($"{root}/k{i % 40:D2}", Bytes($"round-{i / 40}")));
            if (i % 7 == 0)
            {
                operations.Add(KvOperation.Delete($"{root}/k{i % 40:D2}"));
            }
        }

        await Store.WriteBatchAsync(operations);

        var expected = new Dictionary<string, string?>();
        foreach (var operation in operations)
        {
            expected[KvKey.Normalize(operation.Key)] = operation.Kind == KvOperationKind.Put ? Encoding.UTF8.GetString(operation.Value.Span) : null;
        }

        var listed = (await Store.ListAsync(root)).ToDictionary(p => p.Key, p => p.ValueAsString());
        var survivors = expected.Where(e => e.Value is not null).Select(e => $"{e.Key}={e.Value}").Order(StringComparer.Ordinal);
        Assert.Equal(survivors, listed.Select(e => $"{e.Key}={e.Value}").Order(StringComparer.Ordinal));
        Assert.NotEmpty(listed);
    }

    [Fact]
    public async Task WatchRecoversFromCompactionWithTheCurrentValue()
    {
        var key = $"{Root()}/compacted";
        await Store.PutAsync(key, Bytes("v0"));
        await using var events = Store.WatchAsync(key).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());

        // The watch stream opens only on the next MoveNext: the history it needs is gone by then.
        await Store.PutAsync(key, Bytes("v1"));
        await Store.PutAsync(key, Bytes("v2"));
        using var admin = new EtcdAdmin(fixture.Server.Endpoint);
        await admin.CompactAsync();

        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal(KvEventKind.Put, events.Current.Kind);
        Assert.Equal("v2", events.Current.Pair.ValueAsString());

        await Store.PutAsync(key, Bytes("v3"));
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal("v3", events.Current.Pair.ValueAsString());
    }

    [Fact]
    public async Task WatchReportsADeletionHiddenByCompaction()
    {
        var key = $"{Root()}/compacted-away";
        await Store.PutAsync(key, Bytes("v0"));
        await using var events = Store.WatchAsync(key).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());

        await Store.PutAsync(key, Bytes("v1"));
        await Store.DeleteAsync(key);
        using var admin = new EtcdAdmin(fixture.Server.Endpoint);
        await admin.CompactAsync();

        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal(KvEventKind.Delete, events.Current.Kind);
        Assert.False(await events.MoveNextAsync().AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task WatchTreeRecoversFromCompactionWithAFreshSnapshot()
    {
        var dir = $"{Root()}/tree";
        await Store.PutAsync($"{dir}/a", Bytes("a"));
        await using var snapshots = Store.WatchTreeAsync(dir).GetAsyncEnumerator();
        Assert.True(await snapshots.MoveNextAsync());

        await Store.PutAsync($"{dir}/b", Bytes("b"));
        await Store.DeleteAsync($"{dir}/a");
        using var admin = new EtcdAdmin(fixture.Server.Endpoint);
        await admin.CompactAsync();

        Assert.True(await snapshots.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal([$"{dir}/b"], snapshots.Current.Select(p => p.Key));

        await Store.PutAsync($"{dir}/c", Bytes("c"));
        Assert.True(await snapshots.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal([$"{dir}/b", $"{dir}/c"], snapshots.Current.Select(p => p.Key));
    }

    [Fact]
    public async Task LockStoresItsValueAndIsLostWhenItsKeyIsDeleted()
    {
        var key = $"{Root()}/lock";
        await using var held = Store.NewLock(key, new KvLockOptions(Bytes("holder-1").ToArray(), TimeSpan.FromSeconds(5)));
        var lost = await held.LockAsync().WaitAsync(Patience);
        Assert.Equal("holder-1", (await Store.GetAsync(key)).ValueAsString());

        await Store.DeleteAsync(key);

        await WaitUntilAsync(() => Task.FromResult(lost.IsCancellationRequested), Patience);
        await held.UnlockAsync();
    }

    [Fact]
    public async Task LockIsLostWhenItsLeaseIsRevoked()
    {
        var key = $"{Root()}/lock-lease";
        await using var held = Store.NewLock(key, new KvLockOptions(Ttl: TimeSpan.FromSeconds(5)));
        var lost = await held.LockAsync().WaitAsync(Patience);
        using var admin = new EtcdAdmin(fixture.Server.Endpoint);

        await admin.RevokeAsync(await admin.LeaseOfAsync(key));

        await WaitUntilAsync(() => Task.FromResult(lost.IsCancellationRequested), Patience);
        Assert.False(await Store.ExistsAsync(key));
        var again = await held.LockAsync().WaitAsync(Patience);
        Assert.False(again.IsCancellationRequested);
        await held.UnlockAsync();
        Assert.False(await Store.ExistsAsync(key));
    }

    [Fact]
    public async Task LockWaiterGivesUpWhenCancelledAndLeavesNoLeaseBehind()
    {
        var key = $"{Root()}/lock-cancel";
        await using var holder = Store.NewLock(key);
        await holder.LockAsync().WaitAsync(Patience);
        await using var waiter = Store.NewLock(key);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter.LockAsync(cancel.Token));

        await holder.UnlockAsync();
        Assert.False(await Store.ExistsAsync(key));
    }

    [Fact]
    public async Task ClosingTheStoreUnderAHeldLockReportsItLost()
    {
        var key = $"{Root()}/lock-closed";
        var holderStore = KvStores.Open(fixture.Config);
        var held = holderStore.NewLock(key, new KvLockOptions(Ttl: TimeSpan.FromSeconds(5)));
        var lost = await held.LockAsync().WaitAsync(Patience);

        await holderStore.DisposeAsync();

        await WaitUntilAsync(() => Task.FromResult(lost.IsCancellationRequested), Patience);
        await held.DisposeAsync();
    }

    [Fact]
    public async Task EmptyKeyIsRejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync("//"));
    }

    private static string Root([System.Runtime.CompilerServices.CallerMemberName] string caseName = "") => $"etcd-tests/{caseName}-{Guid.NewGuid():N}";

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < timeout, $"condition not met within {timeout}");
            await Task.Delay(100);
        }
    }
}
