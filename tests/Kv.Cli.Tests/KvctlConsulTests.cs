using System.Globalization;
using System.Text.Json;
using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;
using ContivKsr.TestSupport.Consul;

namespace ContivKsr.Kv.Cli.Tests;

/// <summary>One Consul emulator (no real Consul is installable here) for kvctl's Consul tests, plus a store on it.</summary>
public sealed class KvctlConsulFixture : IAsyncLifetime
{
    private ConsulEmulator? emulator;
    private IKvStore? store;

    public ConsulEmulator Emulator => emulator ?? throw new InvalidOperationException("fixture not started");

    public IKvStore Store => store ?? throw new InvalidOperationException("fixture not started");

    /// <summary>kvctl's arguments to reach this emulator, followed by <paramref name="args"/>.</summary>
    public string[] Args(params string[] args) => ["--backend", "consul", "--uri", Emulator.Endpoint, "--timeout", "5", .. args];

    public async Task InitializeAsync()
    {
        emulator = await ConsulEmulator.StartAsync();
        store = KvStores.Open(Emulator.Config(TimeSpan.FromSeconds(10)));
    }

    public async Task DisposeAsync()
    {
        if (store is not null)
        {
            await store.DisposeAsync();
        }

        if (emulator is not null)
        {
            await emulator.DisposeAsync();
        }
    }
}

[CollectionDefinition("kvctl-consul")]
public sealed class KvctlConsulCollection : ICollectionFixture<KvctlConsulFixture>;

/// <summary>Every kvctl verb with --backend consul, run as a real process against the Consul emulator.</summary>
[Collection("kvctl-consul")]
public sealed class KvctlConsulTests(KvctlConsulFixture fixture)
{
    private IKvStore Store => fixture.Store;

    [Fact]
    public async Task PutGetAndJsonGet()
    {
        var key = Root() + "/greeting";

        var put = await Kvctl("put", "/" + key + "/", "hello consul");
        var get = await Kvctl("get", key);
        var json = await Kvctl("--json", "get", key);

        Assert.Equal(0, put.ExitCode);
        Assert.Equal("hello consul", get.StdoutText);
        using var document = JsonDocument.Parse(json.StdoutText);
        Assert.Equal(key, document.RootElement.GetProperty("key").GetString());
        Assert.Equal((await Store.GetAsync(key)).LastIndex, document.RootElement.GetProperty("lastIndex").GetInt64());
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
        var index = created.StdoutText.Trim();
        var swapped = await Kvctl("cas", key, "three", index);
        var stale = await Kvctl("cas", key, "four", index);

        Assert.Equal(0, created.ExitCode);
        Assert.Equal([$"kvctl: key already exists: {key}"], Lines(again.Stderr));
        Assert.Equal((await Store.GetAsync(key)).LastIndex.ToString(CultureInfo.InvariantCulture), swapped.StdoutText.Trim());
        Assert.Equal([$"kvctl: key was modified since it was read: {key}"], Lines(stale.Stderr));
        Assert.Equal("three", (await Store.GetAsync(key)).ValueAsString());
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

        Assert.Matches($"^PUT {key} [0-9]+ first$", initial);
        Assert.Matches($"^PUT {key} [0-9]+ second value$", changed);
        Assert.Matches($"^DELETE {key} [0-9]+$", deleted);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task WatchTreePrintsSnapshotsUntilTerminated()
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
    public async Task TtlPutIsHeldByASessionAndShortTtlsAreRefused()
    {
        var key = Root() + "/ttl";

        var tooShort = await Kvctl("--ttl", "5", "put", key, "v");
        var put = await Kvctl("--ttl", "10", "put", key, "v");

        Assert.Equal(1, tooShort.ExitCode);
        Assert.Contains("session TTL must be between 10 s and 24 h", tooShort.Stderr, StringComparison.Ordinal);
        Assert.Single(Lines(tooShort.Stderr));
        Assert.Equal(0, put.ExitCode);
        Assert.Equal("v", (await Store.GetAsync(key)).ValueAsString());
        Assert.NotEmpty(fixture.Emulator.SessionIds);
    }

    [Fact]
    public async Task TokenIsPassedAndARefusalIsExitOne()
    {
        await using var secured = await ConsulEmulator.StartAsync(o => o.RequiredToken = "s3cret");
        string[] Args(params string[] args) => ["--backend", "consul", "--uri", secured.Endpoint, "--timeout", "5", .. args];

        var withToken = await KvctlProcess.RunAsync(Args("--token", "s3cret", "put", "acl/key", "v"));
        var withoutToken = await KvctlProcess.RunAsync(Args("get", "acl/key"));

        Assert.Equal(0, withToken.ExitCode);
        Assert.Equal(1, withoutToken.ExitCode);
        Assert.Contains("Permission denied", withoutToken.Stderr, StringComparison.Ordinal);
        Assert.Single(Lines(withoutToken.Stderr));
    }

    [Fact]
    public async Task UnreachableConsulIsExitOneWithinTheTimeout()
    {
        var result = await KvctlProcess.RunAsync(["--backend", "consul", "--uri", $"127.0.0.1:{FreePort.Closed()}", "--timeout", "1", "get", "any/key"]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("kvctl: consul at 127.0.0.1:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("not reachable within 1 s", result.Stderr, StringComparison.Ordinal);
        Assert.Single(Lines(result.Stderr));
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(5), $"took {result.Elapsed}");
    }

    private async Task<KvctlResult> Kvctl(params string[] args) => await KvctlProcess.RunAsync(fixture.Args(args));

    private static string Root([System.Runtime.CompilerServices.CallerMemberName] string caseName = "") => $"kvctl-consul/{caseName}-{Guid.NewGuid():N}";

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static IEnumerable<string?> SnapshotKeys(string line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.EnumerateArray().Select(e => e.GetProperty("key").GetString()).ToArray();
    }
}
