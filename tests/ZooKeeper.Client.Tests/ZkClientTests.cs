using System.Text;
using System.Threading.Channels;
using ContivKsr.ZooKeeper.Client.Protocol;

namespace ContivKsr.ZooKeeper.Client.Tests;

/// <summary>The client's own calls on a real ZooKeeper: versions, result codes, multi, watches, chroot, sessions, credentials.</summary>
[Collection("zookeeper-server")]
public sealed class ZkClientTests(ZooKeeperServerFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly string root = $"/client-tests-{Guid.NewGuid():N}";
    private ZkClient? shared;

    private ZkClient Client => shared ?? throw new InvalidOperationException("not initialised");

    public async Task InitializeAsync()
    {
        shared = fixture.Connect();
        await Client.CreateAsync(root, ReadOnlyMemory<byte>.Empty, ZkCreateMode.Persistent);
    }

    public async Task DisposeAsync()
    {
        if (shared is not null)
        {
            await shared.DisposeAsync();
        }
    }

    [Fact]
    public async Task SessionTimeoutIsNegotiatedWithinTheServersBounds()
    {
        // The test server allows 1 s to 60 s.
        foreach (var (requested, granted) in new[] { (TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(60)), (TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)), (TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7)) })
        {
            await using var client = new ZkClient(ZkConnectString.Parse([fixture.Server.Endpoint]), requested, TimeSpan.FromSeconds(5), null, null, null);
            Assert.NotNull(await client.ExistsAsync("/"));
            Assert.Equal(granted, client.Session.NegotiatedTimeout);
            Assert.NotEqual(0, client.Session.SessionId);
        }
    }

    [Fact]
    public async Task WritesAreCheckedAgainstTheDataVersion()
    {
        var path = $"{root}/node";
        var created = await Client.CreateAsync(path, Bytes("one"), ZkCreateMode.Persistent);
        Assert.Equal(path, created.Path);
        Assert.Equal(0, created.Stat.Version);

        var changed = await Client.SetDataAsync(path, Bytes("two"), version: 0);
        Assert.Equal(1, changed.Version);
        var stale = await Assert.ThrowsAsync<ZkException>(() => Client.SetDataAsync(path, Bytes("lost"), version: 0));
        Assert.Equal(ZkErrorCode.BadVersion, stale.Code);
        Assert.Equal(path, stale.Path);

        var read = await Client.GetDataAsync(path);
        Assert.Equal("two", Encoding.UTF8.GetString(read.Data));
        Assert.Equal(1, read.Stat.Version);

        Assert.Equal(ZkErrorCode.NodeExists, (await Assert.ThrowsAsync<ZkException>(() => Client.CreateAsync(path, Bytes("again"), ZkCreateMode.Persistent))).Code);
        Assert.Equal(ZkErrorCode.BadVersion, (await Assert.ThrowsAsync<ZkException>(() => Client.DeleteAsync(path, version: 0))).Code);
        await Client.DeleteAsync(path, version: 1);
        Assert.Null(await Client.ExistsAsync(path));
        Assert.Equal(ZkErrorCode.NoNode, (await Assert.ThrowsAsync<ZkException>(() => Client.GetDataAsync(path))).Code);
    }

    [Fact]
    public async Task SequentialNodesAreNumberedAndListedByTheirParent()
    {
        var first = await Client.CreateAsync($"{root}/item-", Bytes("a"), ZkCreateMode.PersistentSequential);
        var second = await Client.CreateAsync($"{root}/item-", Bytes("b"), ZkCreateMode.PersistentSequential);

        Assert.Matches("/item-[0-9]{10}$", first.Path);
        Assert.True(string.CompareOrdinal(first.Path, second.Path) < 0, $"{first.Path} !< {second.Path}");
        var children = (await Client.GetChildrenAsync(root)).Children.Order(StringComparer.Ordinal);
        Assert.Equal([first.Path[(root.Length + 1)..], second.Path[(root.Length + 1)..]], children);
    }

    [Fact]
    public async Task AMultiAppliesAllOfItsOpsOrNone()
    {
        var failed = await Assert.ThrowsAsync<ZkMultiException>(() => Client.MultiAsync(
        [
            new ZkCreateRequest($"{root}/made", Bytes("x"), Client.DefaultAcl, ZkCreateMode.Persistent),
            new ZkCheckVersionRequest($"{root}/missing", 0),
        ]));
        Assert.Equal(ZkErrorCode.NoNode, failed.Code);
        Assert.Equal(1, failed.FailedIndex);
        Assert.Equal($"{root}/missing", failed.Path);
        Assert.Null(await Client.ExistsAsync($"{root}/made"));

        var results = await Client.MultiAsync(
        [
            new ZkCreateRequest($"{root}/made", Bytes("x"), Client.DefaultAcl, ZkCreateMode.Persistent),
            new ZkSetDataRequest($"{root}/made", Bytes("y"), 0),
            new ZkDeleteRequest($"{root}/made", 1),
        ]);
        Assert.Equal(3, results.Count);
        Assert.All(results, result => Assert.Equal(ZkErrorCode.Ok, result.Err));
        Assert.Equal($"{root}/made", results[0].CreatedPath);
        Assert.Equal(1, results[1].Stat?.Version);
        Assert.Null(await Client.ExistsAsync($"{root}/made"));
    }

    [Fact]
    public async Task AOneShotWatchReportsTheNextChangeOfItsNode()
    {
        var path = $"{root}/watched";
        var events = Channel.CreateUnbounded<ZkWatcherEvent>();
        Assert.Null(await Client.ExistsAsync(path, events.Writer));

        await Client.CreateAsync(path, Bytes("v"), ZkCreateMode.Persistent);
        var created = await NextAsync(events.Reader);
        await Client.GetDataAsync(path, events.Writer);
        await Client.DeleteAsync(path, -1);
        var deleted = await NextAsync(events.Reader);

        Assert.Equal((ZkEventType.NodeCreated, path), (created.Type, created.Path));
        Assert.Equal((ZkEventType.NodeDeleted, path), (deleted.Type, deleted.Path));
        Client.Unwatch(events.Writer);
    }

    [Fact]
    public async Task APersistentRecursiveWatchSeesItsWholeSubtreeUntilRemoved()
    {
        var events = Channel.CreateUnbounded<ZkWatcherEvent>();
        await Client.AddWatchAsync(root, recursive: true, events.Writer);

        await Client.CreateAsync($"{root}/a", ReadOnlyMemory<byte>.Empty, ZkCreateMode.Persistent);
        await Client.CreateAsync($"{root}/a/b", Bytes("deep"), ZkCreateMode.Persistent);
        await Client.SetDataAsync($"{root}/a/b", Bytes("changed"), -1);

        Assert.Equal((ZkEventType.NodeCreated, $"{root}/a"), Describe(await NextAsync(events.Reader)));
        Assert.Equal((ZkEventType.NodeCreated, $"{root}/a/b"), Describe(await NextAsync(events.Reader)));
        Assert.Equal((ZkEventType.NodeDataChanged, $"{root}/a/b"), Describe(await NextAsync(events.Reader)));

        // ZooKeeper 3.8 cannot remove one persistent watch (WatcherType 4 and 5 came with 3.9,
        // ZOOKEEPER-4472) and answers MarshallingError; the local watcher is forgotten either way.
        var removal = await Record.ExceptionAsync(() => Client.RemovePersistentWatchAsync(root, recursive: true, events.Writer));
        Assert.True(removal is null or ZkException { Code: ZkErrorCode.MarshallingError }, $"removing the watch failed: {removal}");
        await Client.DeleteAsync($"{root}/a/b", -1);
        await Client.CreateAsync($"{root}/after", ReadOnlyMemory<byte>.Empty, ZkCreateMode.Persistent);
        var marker = Channel.CreateUnbounded<ZkWatcherEvent>();
        await Client.ExistsAsync($"{root}/after", marker.Writer);
        await Client.DeleteAsync($"{root}/after", -1);

        // The marker's own watch fired after both changes, so anything the removed watch got would be queued by now.
        Assert.Equal(ZkEventType.NodeDeleted, (await NextAsync(marker.Reader)).Type);
        Assert.False(events.Reader.TryRead(out var late), $"a removed watch still reported {late}");
    }

    [Fact]
    public async Task AChrootIsPrependedOnTheWireAndStrippedFromReplies()
    {
        var chroot = $"{root}/jail";
        await using var confined = fixture.Connect(chroot);
        await confined.CreateUnrootedAsync(chroot, CancellationToken.None);

        var created = await confined.CreateAsync("/inside", Bytes("v"), ZkCreateMode.Persistent);

        Assert.Equal(chroot, confined.Chroot);
        Assert.Equal("/inside", created.Path);
        Assert.Equal("v", Encoding.UTF8.GetString((await Client.GetDataAsync($"{chroot}/inside")).Data));
        Assert.Equal(["inside"], (await confined.GetChildrenAsync("/")).Children);
    }

    [Fact]
    public async Task EphemeralNodesEndWithTheirSession()
    {
        var path = $"{root}/ephemeral";
        var owner = fixture.Connect();
        var created = await owner.CreateAsync(path, Bytes("mine"), ZkCreateMode.Ephemeral);
        Assert.Equal(owner.Session.SessionId, created.Stat.EphemeralOwner);
        Assert.True(created.Stat.IsEphemeral);

        await owner.DisposeAsync();

        Assert.Null(await Client.ExistsAsync(path));
    }

    [Fact]
    public async Task DigestCredentialsCloseWhatTheyCreateToOthers()
    {
        var path = $"{root}/private";
        await using var alice = fixture.Connect(username: "alice", password: "secret");
        Assert.True(alice.Authenticated);
        Assert.Equal(ZkAcl.CreatorAll, alice.DefaultAcl);
        await alice.CreateAsync(path, Bytes("hers"), ZkCreateMode.Persistent);

        var refused = await Assert.ThrowsAsync<ZkException>(() => Client.GetDataAsync(path));

        Assert.Equal(ZkErrorCode.NoAuth, refused.Code);
        Assert.Equal("hers", Encoding.UTF8.GetString((await alice.GetDataAsync(path)).Data));
        await alice.DeleteAsync(path, -1);
    }

    [Fact]
    public async Task ClosingTheClientEndsAWaitForANotification()
    {
        var closing = fixture.Connect();
        var events = Channel.CreateUnbounded<ZkWatcherEvent>();
        await closing.ExistsAsync($"{root}/never", events.Writer);
        var pending = closing.NextEventAsync(events.Reader, CancellationToken.None);

        await closing.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending.WaitAsync(Patience));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => closing.ExistsAsync("/"));
    }

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static (ZkEventType, string) Describe(ZkWatcherEvent notification) => (notification.Type, notification.Path);

    /// <summary>The next node event; connection state changes (type None) are skipped.</summary>
    private static async Task<ZkWatcherEvent> NextAsync(ChannelReader<ZkWatcherEvent> reader)
    {
        while (true)
        {
            var next = await reader.ReadAsync().AsTask().WaitAsync(Patience);
            if (next.Type != ZkEventType.None)
            {
                return next;
            }
        }
    }
}
