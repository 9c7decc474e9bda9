using System.Globalization;
using System.Text.Json;
using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Cli.Tests;

/// <summary>One real ZooKeeper for the kvctl tests that use it, plus a store on it to set up and check what kvctl did.</summary>
public sealed class ZooKeeperKvctlFixture : IAsyncLifetime
{
    private ZooKeeperServer? server;
    private IKvStore? store;

    public ZooKeeperServer Server => server ?? throw new InvalidOperationException("fixture not started");

    public IKvStore Store => store ?? throw new InvalidOperationException("fixture not started");

    /// <summary>kvctl's arguments to reach this ZooKeeper, followed by <paramref name="args"/>.</summary>
    public string[] Args(params string[] args) => ["--backend", "zookeeper", "--uri", Server.Endpoint, "--timeout", "5", .. args];

    public async Task InitializeAsync()
    {
        server = await ZooKeeperServer.StartAsync();
        store = KvStores.Open(Server.Config(TimeSpan.FromSeconds(10)));
    }

    public async Task DisposeAsync()
    {
        if (store is not null)
        {
            await store.DisposeAsync();
        }

        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

[CollectionDefinition("kvctl-zookeeper")]
public sealed class ZooKeeperKvctlCollection : ICollectionFixture<ZooKeeperKvctlFixture>;

/// <summary>Every kvctl verb with <c>--backend zookeeper</c>, run as a real process against a real ZooKeeper.</summary>
[Collection("kvctl-zookeeper")]
public sealed class ZooKeeperKvctlTests(ZooKeeperKvctlFixture fixture)
{
    private IKvStore Store => fixture.Store;

    [Fact]
    public async Task PutGetLsDelRoundTrip()
    {
        var root = Root();

        var put = await Kvctl("put", $"/{root}/dir/a/", "hello zookeeper");
        var putEmpty = await Kvctl("put", $"{root}/dir/empty", "");
        var get = await Kvctl("get", $"{root}/dir/a");
        var ls = await Kvctl("ls", $"{root}/dir");
        var del = await Kvctl("del", $"{root}/dir/a");
        var delAgain = await Kvctl("del", $"{root}/dir/a");

        Assert.Equal(0, put.ExitCode);
        Assert.Equal(0, putEmpty.ExitCode);
        Assert.Equal("hello zookeeper", get.StdoutText);
        Assert.Equal([$"{root}/dir/a", $"{root}/dir/empty"], Lines(ls.StdoutText));
        Assert.Equal(0, del.ExitCode);
        Assert.Equal(1, delAgain.ExitCode);
        Assert.Equal([$"kvctl: key not found: {root}/dir/a"], Lines(delAgain.Stderr));
        Assert.Equal([$"{root}/dir/empty"], (await Store.ListAsync(root)).Select(p => p.Key));
    }

    [Fact]
    public async Task GetJsonShowsTheDataVersionPlusOneAsIndex()
    {
        var key = Root() + "/json";
        await Store.PutAsync(key, "v1"u8.ToArray());
        await Store.PutAsync(key, "v2"u8.ToArray());

        var get = await Kvctl("--json", "get", key);

        using var document = JsonDocument.Parse(get.StdoutText);
        Assert.Equal("v2", document.RootElement.GetProperty("value").GetString());
        Assert.Equal(2, document.RootElement.GetProperty("lastIndex").GetInt64());
    }

    [Fact]
    public async Task PutFromStandardInputKeepsBinaryBytes()
    {
        var key = Root() + "/binary";
        var bytes = new byte[] { 0, 1, 2, 0xff, 0xfe, (byte)'\n', 0xc3, 0x28 };

        var put = await KvctlProcess.RunAsync(fixture.Args("put", key, "-"), bytes);
        var get = await Kvctl("get", key);

        Assert.Equal(0, put.ExitCode);
        Assert.Equal(bytes, get.Stdout);
    }

    [Fact]
    public async Task RmtreeRemovesTheDirectoryAndItsKeyButNotSiblings()
    {
        var root = Root();
        await Store.PutAsync($"{root}/tree", "own"u8.ToArray());
        await Store.PutAsync($"{root}/tree/a/b", "x"u8.ToArray());
        await Store.PutAsync($"{root}/treeX", "sibling"u8.ToArray());

        var rmtree = await Kvctl("rmtree", $"{root}/tree");

        Assert.Equal(0, rmtree.ExitCode);
        Assert.Equal([$"{root}/treeX"], (await Store.ListAsync(root)).Select(p => p.Key));
    }

    [Fact]
    public async Task CasCreatesOnceThenSwapsOnlyFromTheCurrentIndex()
    {
        var key = Root() + "/cas";

        var created = await Kvctl("cas", key, "one", "0");
        var again = await Kvctl("cas", key, "two", "0");
        var index = created.StdoutText.Trim();
        var swapped = await Kvctl("cas", key, "three", index);
        var stale = await Kvctl("cas", key, "four", index);

        Assert.Equal("1", index);
        Assert.Equal([$"kvctl: key already exists: {key}"], Lines(again.Stderr));
        Assert.Equal((await Store.GetAsync(key)).LastIndex.ToString(CultureInfo.InvariantCulture), swapped.StdoutText.Trim());
        Assert.Equal([$"kvctl: key was modified since it was read: {key}"], Lines(stale.Stderr));
        Assert.Equal("three", (await Store.GetAsync(key)).ValueAsString());
    }

    [Fact]
    public async Task PutWithTtlOutlivesKvctl()
    {
        // The key is a ZooKeeper TTL node, not an ephemeral one: kvctl's session ending must not remove it.
        var key = Root() + "/ttl";

        var put = await Kvctl("--ttl", "300", "put", key, "leased");

        Assert.Equal(0, put.ExitCode);
        Assert.Equal("leased", (await Store.GetAsync(key)).ValueAsString());
    }

    [Fact]
    public async Task WatchPrintsTheValueThenEachChangeAndEndsOnDeletion()
    {
        var key = Root() + "/watched";
        await Store.PutAsync(key, "first"u8.ToArray());
        await using var watch = KvctlProcess.Start(fixture.Args("watch", key));

        var initial = await watch.ReadLineAsync();
        await Store.PutAsync(key, "second value"u8.ToArray());
        var changed = await watch.ReadLineAsync();
        await Store.DeleteAsync(key);
        var deleted = await watch.ReadLineAsync();
        var result = await watch.WaitAsync();

        Assert.Equal($"PUT {key} 1 first", initial);
        Assert.Equal($"PUT {key} 2 second value", changed);
        Assert.Equal($"DELETE {key} 2", deleted);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task WatchTreePrintsSnapshotsAndEndsCleanlyOnTerm()
    {
        var dir = Root() + "/tree";
        await Store.PutAsync($"{dir}/a", "1"u8.ToArray());
        await using var watch = KvctlProcess.Start(fixture.Args("--json", "watch", "--tree", dir));

        var first = await watch.ReadLineAsync();
        await Store.PutAsync($"{dir}/b", "2"u8.ToArray());
        var second = await watch.ReadLineAsync();
        watch.Terminate();
        var result = await watch.WaitAsync();

        Assert.Equal([$"{dir}/a"], SnapshotKeys(first!));
        Assert.Equal([$"{dir}/a", $"{dir}/b"], SnapshotKeys(second!));
        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task ChrootAndDigestCredentialsComeFromTheCommandLine()
    {
        var chroot = $"kvctl-chroot-{Guid.NewGuid():N}";
        string[] confined = ["--backend", "zk", "--uri", $"{fixture.Server.Endpoint}/{chroot}", "--username", "ops", "--password", "s3cret"];

        var put = await KvctlProcess.RunAsync([.. confined, "put", "k", "inside"]);
        var ls = await KvctlProcess.RunAsync([.. confined, "ls"]);
        var anonymous = await Kvctl("get", $"{chroot}/k");

        Assert.Equal(0, put.ExitCode);
        Assert.Equal(["k"], Lines(ls.StdoutText));
        Assert.Equal(1, anonymous.ExitCode);
        Assert.StartsWith($"kvctl: ZooKeeper denied access to '{chroot}/k'", anonymous.Stderr, StringComparison.Ordinal);
        Assert.Single(Lines(anonymous.Stderr));
    }

    [Fact]
    public async Task UnreachableZooKeeperFailsWithinTheTimeout()
    {
        var result = await KvctlProcess.RunAsync(["--backend", "zookeeper", "--uri", $"127.0.0.1:{FreePort.Closed()}", "--timeout", "1", "get", "k"]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("kvctl: ZooKeeper ConnectionLoss (-4): no ZooKeeper server of", result.Stderr, StringComparison.Ordinal);
        Assert.Single(Lines(result.Stderr));
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(8), $"took {result.Elapsed}");
    }

    [Fact]
    public async Task AChrootInTheMiddleOfTheUriIsABadConfiguration()
    {
        var result = await KvctlProcess.RunAsync(["--backend", "zookeeper", "--uri", "h1:2181/app,h2:2181", "get", "k"]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("kvctl: ZooKeeper endpoint 'h1:2181/app': a chroot may only follow the last host", result.Stderr, StringComparison.Ordinal);
    }

    private async Task<KvctlResult> Kvctl(params string[] args) => await KvctlProcess.RunAsync(fixture.Args(args));

    private static string Root([System.Runtime.CompilerServices.CallerMemberName] string caseName = "") => $"kvctl-zk-tests/{caseName}-{Guid.NewGuid():N}";

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static IEnumerable<string?> SnapshotKeys(string line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.EnumerateArray().Select(e => e.GetProperty("key").GetString()).ToArray();
    }
}
