using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using ContivKsr.Kv.Stores;
using ContivKsr.Kv.ZooKeeper;
using ContivKsr.TestSupport;
using ContivKsr.ZooKeeper.Client;
using ContivKsr.ZooKeeper.Client.Protocol;

namespace ContivKsr.Kv.Tests.ZooKeeper;

/// <summary>What the conformance suite cannot see: sessions, reconnection, auth, chroot and the znode layout, on a real ZooKeeper.</summary>
[Collection("zookeeper")]
public sealed class ZooKeeperBackendTests(ZooKeeperFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private IKvStore Store => fixture.Store;

    private ZkClient RawClient => ((ZooKeeperStore)fixture.Store).Client;

    [Fact]
    public async Task WatchesSurviveAServerRestartWithinTheSession()
    {
        var root = Root();
        await Store.PutAsync($"{root}/key", Bytes("before"));
        await using var watcherStore = KvStores.Open(fixture.Config);
        var session = ((ZooKeeperStore)watcherStore).Client.Session;
        using var cancel = new CancellationTokenSource(Patience * 3);
        await using var events = watcherStore.WatchAsync($"{root}/key", cancel.Token).GetAsyncEnumerator(cancel.Token);
        await using var snapshots = watcherStore.WatchTreeAsync(root, cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.Equal("before", (await NextAsync(events)).Pair.ValueAsString());
        Assert.Single(await NextAsync(snapshots));
        var sessionId = session.SessionId;

        fixture.Server.Stop();
        await fixture.Server.StartAgainAsync();
        await Store.PutAsync($"{root}/key", Bytes("after"));
        await Store.PutAsync($"{root}/added", Bytes("new"));

        // Both watches were re-armed by SetWatches/SetWatches2 on the new connection of the same session.
        Assert.Equal("after", (await NextAsync(events)).Pair.ValueAsString());
        IReadOnlyList<KvPair> snapshot;
        do
        {
            snapshot = await NextAsync(snapshots);
        }
        while (snapshot.Count != 2);
        Assert.Equal(sessionId, session.SessionId);
    }

    [Fact]
    public async Task AnExpiredSessionLosesItsLockAndIsReplacedWithWatchesSetAgain()
    {
        var root = Root();
        await using var store = ZooKeeperStore.Open(fixture.Config, TimeSpan.FromSeconds(1));
        await using var held = store.NewLock($"{root}/lock");
        var lockLost = await held.LockAsync().WaitAsync(Patience);
        using var cancel = new CancellationTokenSource(Patience * 3);
        await using var snapshots = store.WatchTreeAsync(root, cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.Empty(await NextAsync(snapshots));
        var oldSession = store.Client.Session.SessionId;

        fixture.Server.Stop();
        try
        {
            // Nobody answers for longer than the 1 s session: the client must consider it gone.
            await Task.Delay(Timeout.Infinite, lockLost).WaitAsync(Patience).ContinueWith(_ => { }, TaskScheduler.Default);
            Assert.True(lockLost.IsCancellationRequested, "the lock was not reported lost when its session expired");
        }
        finally
        {
            await fixture.Server.StartAgainAsync();
        }

        await RetryAsync(async () =>
        {
            await Store.PutAsync($"{root}/after", Bytes("new session"));
            return true;
        });
        IReadOnlyList<KvPair> snapshot;
        do
        {
            snapshot = await NextAsync(snapshots);
        }
        while (snapshot.Count == 0);
        Assert.Equal([$"{root}/after"], snapshot.Select(p => p.Key));
        Assert.NotEqual(oldSession, store.Client.Session.SessionId);
        Assert.NotEqual(0, store.Client.Session.SessionId);

        var again = await held.LockAsync().WaitAsync(Patience);
        Assert.False(again.IsCancellationRequested);
    }

    [Fact]
    public async Task CallsFailFastWhileTheServerIsDownAndWorkAgainAfterwards()
    {
        var key = $"{Root()}/key";
        await using var store = KvStores.Open(fixture.Server.Config(TimeSpan.FromSeconds(1)));
        await store.PutAsync(key, Bytes("v"));

        fixture.Server.Stop();
        try
        {
            var clock = Stopwatch.StartNew();
            var error = await Record.ExceptionAsync(() => store.GetAsync(key)).WaitAsync(Patience);
            Assert.IsType<KvNotReachableException>(error);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
        }
        finally
        {
            await fixture.Server.StartAgainAsync();
        }

        Assert.Equal("v", (await RetryAsync(() => store.GetAsync(key))).ValueAsString());
    }

    [Fact]
    public async Task FailsOverPastADeadServerOfTheUri()
    {
        var key = $"{Root()}/key";
        var config = fixture.Config with { Endpoints = [$"127.0.0.1:{FreePort.Closed()}", fixture.Server.Endpoint], ConnectionTimeout = TimeSpan.FromSeconds(3) };
        await using var store = KvStores.Open(config);

        await store.PutAsync(key, Bytes("through the second server"));

        Assert.Equal("through the second server", (await Store.GetAsync(key)).ValueAsString());
        Assert.Equal(fixture.Server.Endpoint, ((ZooKeeperStore)store).Client.Session.ConnectedServer);
    }

    [Fact]
    public async Task MovesToTheNextServerWhenItsServerDiesKeepingSessionAndWatches()
    {
        var key = $"{Root()}/key";
        await Store.PutAsync(key, Bytes("before"));
        var first = new TcpForwarder("127.0.0.1", fixture.Server.ClientPort);
        await using var second = new TcpForwarder("127.0.0.1", fixture.Server.ClientPort);
        try
        {
            await using var store = KvStores.Open(fixture.Config with { Endpoints = [first.Endpoint, second.Endpoint] });
            var session = ((ZooKeeperStore)store).Client.Session;
            using var cancel = new CancellationTokenSource(Patience * 2);
            await using var events = store.WatchAsync(key, cancel.Token).GetAsyncEnumerator(cancel.Token);
            Assert.Equal("before", (await NextAsync(events)).Pair.ValueAsString());
            Assert.Equal(first.Endpoint, session.ConnectedServer);
            var sessionId = session.SessionId;

            await first.DisposeAsync();
            await Store.PutAsync(key, Bytes("after"));

            Assert.Equal("after", (await NextAsync(events)).Pair.ValueAsString());
            Assert.Equal(second.Endpoint, session.ConnectedServer);
            Assert.Equal(sessionId, session.SessionId);
            Assert.Equal("after", (await store.GetAsync(key)).ValueAsString());
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    [Fact]
    public async Task DigestCredentialsProtectWhatTheyCreate()
    {
        // A root of its own: parents created with credentials are closed to everyone else.
        var root = $"auth-{Guid.NewGuid():N}";
        await using var alice = KvStores.Open(fixture.Config with { Username = "alice", Password = "secret" });
        await using var aliceAgain = KvStores.Open(fixture.Config with { Username = "alice", Password = "secret" });
        await using var mallory = KvStores.Open(fixture.Config with { Username = "alice", Password = "guess" });

        await alice.PutAsync($"{root}/k", Bytes("private"));

        Assert.Equal("private", (await aliceAgain.GetAsync($"{root}/k")).ValueAsString());
        var anonymous = await Assert.ThrowsAsync<KvAccessDeniedException>(() => Store.GetAsync($"{root}/k"));
        Assert.Equal(((int)ZkErrorCode.NoAuth).ToString(System.Globalization.CultureInfo.InvariantCulture), anonymous.BackendCode);
        await Assert.ThrowsAsync<KvAccessDeniedException>(() => mallory.PutAsync($"{root}/k", Bytes("overwritten")));
        Assert.Equal("private", (await alice.GetAsync($"{root}/k")).ValueAsString());

        await alice.DeleteTreeAsync(root);
        Assert.Null(await RawClient.ExistsAsync("/" + root));
    }

    [Fact]
    public async Task ChrootConfinesTheStoreBelowItsNode()
    {
        var chroot = $"chroot-{Guid.NewGuid():N}/app";
        await using var confined = KvStores.Open(fixture.Config with { Endpoints = [$"{fixture.Server.Endpoint}/{chroot}"] });

        await confined.PutAsync("a/b", Bytes("inside"));
        await using (var lockInside = confined.NewLock("a/lock"))
        {
            await lockInside.LockAsync().WaitAsync(Patience);
            Assert.Equal(["a/b"], (await confined.ListAsync("")).Select(p => p.Key));
        }

        Assert.Equal("inside", (await Store.GetAsync($"{chroot}/a/b")).ValueAsString());
        Assert.Equal([$"{chroot}/a/b"], (await Store.ListAsync(chroot)).Select(p => p.Key));

        using var cancel = new CancellationTokenSource(Patience * 2);
        await using var events = confined.WatchAsync("a/b", cancel.Token).GetAsyncEnumerator(cancel.Token);
        await NextAsync(events);
        await Store.PutAsync($"{chroot}/a/b", Bytes("changed outside"));
        Assert.Equal("changed outside", (await NextAsync(events)).Pair.ValueAsString());

        await confined.DeleteTreeAsync("");
        Assert.Empty(await Store.ListAsync(chroot));
    }

    [Fact]
    public async Task LockContendersAreEphemeralSequentialNodesThatListHides()
    {
        var root = Root();
        await Store.PutAsync($"{root}/visible", Bytes("v"));
        await using var held = Store.NewLock($"{root}/lock", new KvLockOptions(Bytes("holder").ToArray()));
        await held.LockAsync().WaitAsync(Patience);

        Assert.Equal([$"{root}/visible"], (await Store.ListAsync(root)).Select(p => p.Key));
        var contenders = (await RawClient.GetChildrenAsync($"/{root}/lock")).Children;
        var node = Assert.Single(contenders);
        Assert.Matches("^__kvlock-[0-9a-f]{32}-[0-9]{10}$", node);
        var contender = await RawClient.GetDataAsync($"/{root}/lock/{node}");
        Assert.Equal(RawClient.Session.SessionId, contender.Stat.EphemeralOwner);
        Assert.Equal("holder", Encoding.UTF8.GetString(contender.Data));

        await held.UnlockAsync();
        Assert.Empty((await RawClient.GetChildrenAsync($"/{root}/lock")).Children);
    }

    [Fact]
    public async Task DeletingAKeyThatIsAlsoADirectoryKeepsWhatIsBelow()
    {
        var root = Root();
        await Store.PutAsync($"{root}/dir", Bytes("own value"));
        await Store.PutAsync($"{root}/dir/child", Bytes("c"));

        await Store.DeleteAsync($"{root}/dir");

        Assert.False(await Store.ExistsAsync($"{root}/dir"));
        await Assert.ThrowsAsync<KvKeyNotFoundException>(() => Store.GetAsync($"{root}/dir"));
        Assert.Equal([$"{root}/dir/child"], (await Store.ListAsync(root)).Select(p => p.Key));

        // The parent-only node is no key, but a create-only put may make it one.
        var created = await Store.AtomicPutAsync($"{root}/dir", Bytes("again"), previous: null);
        Assert.Equal("again", (await Store.GetAsync($"{root}/dir")).ValueAsString());
        Assert.Equal(created.LastIndex, (await Store.GetAsync($"{root}/dir")).LastIndex);
    }

    [Fact]
    public async Task ValuesWrittenByOtherClientsReadAsIsAndEmptyParentsAreNoKeys()
    {
        var root = Root();
        await RawClient.CreateAsync($"/{root}", ReadOnlyMemory<byte>.Empty, ZkCreateMode.Persistent);
        await RawClient.CreateAsync($"/{root}/json", Bytes("{\"a\":1}"), ZkCreateMode.Persistent);
        await RawClient.CreateAsync($"/{root}/parent", ReadOnlyMemory<byte>.Empty, ZkCreateMode.Persistent);

        Assert.Equal("{\"a\":1}", (await Store.GetAsync($"{root}/json")).ValueAsString());
        Assert.Equal([$"{root}/json"], (await Store.ListAsync(root)).Select(p => p.Key));
        Assert.False(await Store.ExistsAsync($"{root}/parent"));

        // And what this store writes is the plain value, except for the escaped empty value.
        await Store.PutAsync($"{root}/text", Bytes("plain"));
        await Store.PutAsync($"{root}/empty", ReadOnlyMemory<byte>.Empty);
        Assert.Equal("plain", Encoding.UTF8.GetString((await RawClient.GetDataAsync($"/{root}/text")).Data));
        Assert.Equal([0], (await RawClient.GetDataAsync($"/{root}/empty")).Data);
    }

    [Fact]
    public async Task LastIndexIsTheDataVersionPlusOne()
    {
        var key = $"{Root()}/versioned";
        await Store.PutAsync(key, Bytes("1"));
        await Store.PutAsync(key, Bytes("2"));

        var stat = await RawClient.ExistsAsync("/" + key);
        Assert.NotNull(stat);
        Assert.Equal(stat.Version + 1L, (await Store.GetAsync(key)).LastIndex);
        Assert.Equal(2, (await Store.GetAsync(key)).LastIndex);
    }

    [Fact]
    public async Task FailedCompareAndSwapKeepsTheZooKeeperCode()
    {
        var key = $"{Root()}/cas";
        var first = await Store.AtomicPutAsync(key, Bytes("1"), previous: null);
        await Store.PutAsync(key, Bytes("2"));

        var exists = await Assert.ThrowsAsync<KvKeyExistsException>(() => Store.AtomicPutAsync(key, Bytes("x"), previous: null));
        var modified = await Assert.ThrowsAsync<KvKeyModifiedException>(() => Store.AtomicPutAsync(key, Bytes("x"), first));

        Assert.Equal("-110", exists.BackendCode);
        Assert.Equal("-103", modified.BackendCode);
        Assert.IsType<ZkException>(modified.InnerException);
    }

    [Fact]
    public async Task ClosingTheStoreEndsItsWatchesWithAnError()
    {
        var key = $"{Root()}/watched";
        await Store.PutAsync(key, Bytes("v"));
        var closing = KvStores.Open(fixture.Config);
        await using var events = closing.WatchAsync(key).GetAsyncEnumerator();
        await NextAsync(events);
        await using var snapshots = closing.WatchTreeAsync(key).GetAsyncEnumerator();
        await NextAsync(snapshots);
        var pendingEvent = events.MoveNextAsync().AsTask();
        var pendingSnapshot = snapshots.MoveNextAsync().AsTask();

        await closing.DisposeAsync();

        Assert.IsType<KvException>(await Record.ExceptionAsync(() => pendingEvent.WaitAsync(Patience)));
        Assert.IsType<KvException>(await Record.ExceptionAsync(() => pendingSnapshot.WaitAsync(Patience)));
    }

    private static string Root([CallerMemberName] string caseName = "") => $"zk-tests/{caseName}-{Guid.NewGuid():N}";

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static async Task<T> NextAsync<T>(IAsyncEnumerator<T> enumerator)
    {
        Assert.True(await enumerator.MoveNextAsync().AsTask().WaitAsync(Patience), "the sequence ended early");
        return enumerator.Current;
    }

    /// <summary>A restarted server takes a moment before the store's session is back.</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (KvNotReachableException) when (clock.Elapsed < Patience)
            {
            }
        }
    }
}
