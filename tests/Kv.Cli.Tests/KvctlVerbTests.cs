using System.Globalization;
using System.Text.Json;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Cli.Tests;

/// <summary>
/// Every kvctl verb, run as a real process against each backend. A backend's own class adds its
/// particular cases (chroot, credentials, TTL rules) and the backend's fixture starts its server once.
/// </summary>
public abstract class KvctlVerbTests(IKvctlBackendFixture backend)
{
    protected IKvStore Store => backend.Store;

    [Fact]
    public async Task PutThenGetPrintsTheValueExactly()
    {
        var key = Root() + "/greeting";

        var put = await Kvctl("put", "/" + key + "/", "hello world");
        var get = await Kvctl("get", key);

        Assert.Equal(0, put.ExitCode);
        Assert.Equal(0, get.ExitCode);
        Assert.Equal("hello world", get.StdoutText);
        Assert.Empty(get.Stderr);
    }

    [Fact]
    public async Task GetJsonIsOneObjectWithKeyValueAndIndex()
    {
        var key = Root() + "/json";
        await Store.PutAsync(key, "v"u8.ToArray());
        var stored = await Store.GetAsync(key);

        var get = await Kvctl("--json", "get", key);

        using var document = JsonDocument.Parse(get.StdoutText);
        Assert.Equal(key, document.RootElement.GetProperty("key").GetString());
        Assert.Equal("v", document.RootElement.GetProperty("value").GetString());
        Assert.Equal(stored.LastIndex, document.RootElement.GetProperty("lastIndex").GetInt64());
    }

    [Fact]
    public async Task PutFromStandardInputKeepsBinaryBytes()
    {
        var key = Root() + "/binary";
        var bytes = new byte[] { 0, 1, 2, 0xff, 0xfe, (byte)'\n', 0xc3, 0x28 };

        var put = await KvctlProcess.RunAsync(backend.Args("put", key, "-"), bytes);
        var get = await Kvctl("get", key);

        Assert.Equal(0, put.ExitCode);
        Assert.Equal(bytes, (await Store.GetAsync(key)).Value);
        Assert.Equal(bytes, get.Stdout);
    }

    [Fact]
    public async Task PutFromFileStoresTheNetConfArray()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "testcontainer.json");
        var netconfs = """
            [
              { "name": "mynet", "type": "bridge", "bridge": "cni2", "isGateway": true, "ipMasq": true,
                "ipam": { "type": "host-local", "subnet": "10.23.0.0/16", "routes": [ { "dst": "0.0.0.0/0" } ] } },
              { "type": "loopback" }
            ]
            """;
        await File.WriteAllTextAsync(file, netconfs);
        var key = Root() + "/cni/testcontainer";

        var put = await Kvctl("put", key, "@" + file);

        Assert.Equal(0, put.ExitCode);
        Assert.Equal(netconfs, (await Store.GetAsync(key)).ValueAsString());
    }

    [Fact]
    public async Task PutFromAMissingFileFailsWithOneLine()
    {
        var put = await Kvctl("put", Root() + "/x", "@/nonexistent/value.json");

        Assert.Equal(1, put.ExitCode);
        Assert.StartsWith("kvctl: cannot read value file '/nonexistent/value.json'", put.Stderr, StringComparison.Ordinal);
        Assert.Single(Lines(put.Stderr));
    }

    [Fact]
    public async Task GetOfAMissingKeyIsExitOne()
    {
        var key = Root() + "/absent";

        var get = await Kvctl("get", key);

        Assert.Equal(1, get.ExitCode);
        Assert.Empty(get.Stdout);
        Assert.Equal([$"kvctl: key not found: {key}"], Lines(get.Stderr));
    }

    [Fact]
    public async Task DelRemovesAKeyAndFailsOnAMissingOne()
    {
        var key = Root() + "/doomed";
        await Store.PutAsync(key, "x"u8.ToArray());

        var first = await Kvctl("del", key);
        var second = await Kvctl("del", key);

        Assert.Equal(0, first.ExitCode);
        Assert.False(await Store.ExistsAsync(key));
        Assert.Equal(1, second.ExitCode);
        Assert.Equal([$"kvctl: key not found: {key}"], Lines(second.Stderr));
    }

    [Fact]
    public async Task LsPrintsKeysBelowTheDirectoryOnly()
    {
        var root = Root();
        await Store.PutAsync($"{root}/dir/b", "2"u8.ToArray());
        await Store.PutAsync($"{root}/dir/a/deep", "1"u8.ToArray());
        await Store.PutAsync($"{root}/dirX/sibling", "s"u8.ToArray());

        var text = await Kvctl("ls", $"{root}/dir");
        var json = await Kvctl("--json", "ls", $"{root}/dir/");
        var empty = await Kvctl("ls", $"{root}/nothing");

        Assert.Equal([$"{root}/dir/a/deep", $"{root}/dir/b"], Lines(text.StdoutText));
        using var document = JsonDocument.Parse(json.StdoutText);
        Assert.Equal([$"{root}/dir/a/deep", $"{root}/dir/b"], document.RootElement.EnumerateArray().Select(e => e.GetProperty("key").GetString()));
        Assert.Equal(["1", "2"], document.RootElement.EnumerateArray().Select(e => e.GetProperty("value").GetString()));
        Assert.Equal(0, empty.ExitCode);
        Assert.Empty(empty.Stdout);
    }

    [Fact]
    public async Task RmtreeRemovesTheDirectoryAndItsKey()
    {
        var root = Root();
        await Store.PutAsync($"{root}/tree", "own"u8.ToArray());
        await Store.PutAsync($"{root}/tree/a/b", "x"u8.ToArray());
        await Store.PutAsync($"{root}/treeX", "sibling"u8.ToArray());

        var rmtree = await Kvctl("rmtree", $"{root}/tree");

        Assert.Equal(0, rmtree.ExitCode);
        Assert.Equal([$"{root}/treeX"], (await Store.ListAsync(root)).Select(p => p.Key));
    }

    /// <summary>A key with a value of its own is no entry of its own listing, and rmtree takes it along.</summary>
    [Fact]
    public async Task LsAndRmtreeKeepSiblingsApart()
    {
        var root = Root();
        await Store.PutAsync($"{root}/dir", "own"u8.ToArray());
        await Store.PutAsync($"{root}/dir/b", "2"u8.ToArray());
        await Store.PutAsync($"{root}/dir/a/deep", "1"u8.ToArray());
        await Store.PutAsync($"{root}/dirX/sibling", "s"u8.ToArray());

        var ls = await Kvctl("ls", $"{root}/dir");
        var rmtree = await Kvctl("rmtree", $"{root}/dir");

        Assert.Equal([$"{root}/dir/a/deep", $"{root}/dir/b"], Lines(ls.StdoutText));
        Assert.Equal(0, rmtree.ExitCode);
        Assert.Equal([$"{root}/dirX/sibling"], (await Store.ListAsync(root)).Select(p => p.Key));
    }

    [Fact]
    public async Task CasCreatesOnceThenSwapsOnlyFromTheCurrentIndex()
    {
        var key = Root() + "/cas";

        var created = await Kvctl("cas", key, "one", "0");
        var again = await Kvctl("cas", key, "two", "0");
        var index = long.Parse(created.StdoutText.Trim(), CultureInfo.InvariantCulture);
        var swapped = await Kvctl("cas", key, "three", index.ToString(CultureInfo.InvariantCulture));
        var stale = await Kvctl("cas", key, "four", index.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(0, created.ExitCode);
        AssertCreatedIndex(created.StdoutText.Trim());
        Assert.Equal(1, again.ExitCode);
        Assert.Equal([$"kvctl: key already exists: {key}"], Lines(again.Stderr));
        Assert.Equal(0, swapped.ExitCode);
        Assert.Equal((await Store.GetAsync(key)).LastIndex.ToString(CultureInfo.InvariantCulture), swapped.StdoutText.Trim());
        Assert.Equal(1, stale.ExitCode);
        Assert.Equal([$"kvctl: key was modified since it was read: {key}"], Lines(stale.Stderr));
        Assert.Equal("three", (await Store.GetAsync(key)).ValueAsString());
    }

    [Fact]
    public async Task WatchPrintsTheValueThenEachChangeAndEndsOnDeletion()
    {
        var key = Root() + "/watched";
        await Store.PutAsync(key, "first"u8.ToArray());
        await using var watch = KvctlProcess.Start(backend.Args("watch", key));

        var initial = await watch.ReadLineAsync();
        await Store.PutAsync(key, "second value"u8.ToArray());
        var changed = await watch.ReadLineAsync();
        await Store.DeleteAsync(key);
        var deleted = await watch.ReadLineAsync();
        var result = await watch.WaitAsync();

        Assert.Matches($"^PUT {key} [0-9]+ first$", initial);
        Assert.Matches($"^PUT {key} [0-9]+ second value$", changed);
        Assert.Matches($"^DELETE {key} [0-9]+$", deleted);
        AssertWatchedIndexes(key, initial!, changed!, deleted!);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task WatchRunsUntilTerminatedAndExitsCleanly()
    {
        var key = Root() + "/until-killed";
        await Store.PutAsync(key, "v"u8.ToArray());
        await using var watch = KvctlProcess.Start(backend.Args("--json", "watch", key));

        using (var first = JsonDocument.Parse((await watch.ReadLineAsync())!))
        {
            Assert.Equal("put", first.RootElement.GetProperty("event").GetString());
            Assert.Equal("v", first.RootElement.GetProperty("value").GetString());
        }

        watch.Terminate();
        var result = await watch.WaitAsync();

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task WatchTreePrintsSnapshotsUntilTerminated()
    {
        var dir = Root() + "/tree";
        await Store.PutAsync($"{dir}/a", "1"u8.ToArray());
        await using var watch = KvctlProcess.Start(backend.Args("--json", "watch", "--tree", dir));

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
    public async Task WatchOfAMissingKeyIsExitOne()
    {
        var watch = await Kvctl("watch", Root() + "/never");

        Assert.Equal(1, watch.ExitCode);
        Assert.Contains("key not found", watch.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Checks the index a cas that created a key printed, where the backend fixes it.</summary>
    protected virtual void AssertCreatedIndex(string index)
    {
    }

    /// <summary>Checks the indexes of a watch's lines (put, put, delete), where the backend fixes them.</summary>
    protected virtual void AssertWatchedIndexes(string key, string initial, string changed, string deleted)
    {
    }

    protected async Task<KvctlResult> Kvctl(params string[] args) => await KvctlProcess.RunAsync(backend.Args(args));

    protected static string Root([System.Runtime.CompilerServices.CallerMemberName] string caseName = "") => $"kvctl-tests/{caseName}-{Guid.NewGuid():N}";

    protected static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    protected static IEnumerable<string?> SnapshotKeys(string line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.EnumerateArray().Select(e => e.GetProperty("key").GetString()).ToArray();
    }
}
