using System.Text.Json;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Cli.Tests;

/// <summary>One real ZooKeeper for kvctl's ZooKeeper tests.</summary>
public sealed class ZooKeeperKvctlFixture : KvctlFixture<ZooKeeperServer>
{
    protected override string? BackendName => "zookeeper";

    protected override Task<ZooKeeperServer> StartServerAsync() => ZooKeeperServer.StartAsync();
}

[CollectionDefinition("kvctl-zookeeper")]
public sealed class ZooKeeperKvctlCollection : ICollectionFixture<ZooKeeperKvctlFixture>;

/// <summary>Every kvctl verb with <c>--backend zookeeper</c>, run as a real process against a real ZooKeeper, and ZooKeeper's own cases.</summary>
[Collection("kvctl-zookeeper")]
public sealed class ZooKeeperKvctlTests(ZooKeeperKvctlFixture fixture) : KvctlVerbTests(fixture)
{
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
    public async Task PutWithTtlOutlivesKvctl()
    {
        // The key is a ZooKeeper TTL node, not an ephemeral one: kvctl's session ending must not remove it.
        var key = Root() + "/ttl";

        var put = await Kvctl("--ttl", "300", "put", key, "leased");

        Assert.Equal(0, put.ExitCode);
        Assert.Equal("leased", (await Store.GetAsync(key)).ValueAsString());
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

    /// <summary>A ZooKeeper index is the node's data version plus one: a created key is at 1.</summary>
    protected override void AssertCreatedIndex(string index) => Assert.Equal("1", index);

    /// <summary>Deleting leaves the index of the last put: a deletion has no version of its own.</summary>
    protected override void AssertWatchedIndexes(string key, string initial, string changed, string deleted)
    {
        Assert.Equal($"PUT {key} 1 first", initial);
        Assert.Equal($"PUT {key} 2 second value", changed);
        Assert.Equal($"DELETE {key} 2", deleted);
    }
}
