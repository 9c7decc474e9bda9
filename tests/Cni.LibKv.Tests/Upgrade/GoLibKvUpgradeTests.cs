using System.Text.Json.Nodes;
using ContivKsr.Cni.LibKv.Tests.Support;
using ContivKsr.TestSupport;

namespace ContivKsr.Cni.LibKv.Tests.Upgrade;

/// <summary>
/// A node upgraded in place from the Go libkv: its containers are recorded only in the Go plugin's
/// scratch files (the raw stored array at goStateDir/&lt;containerId&gt;, mode 0600). DEL, CHECK and GC
/// find them; ADD never writes there.
/// </summary>
[Collection(LibKvCollection.Name)]
public sealed class GoLibKvUpgradeTests(StoresFixture stores) : IDisposable
{
    private readonly LibKvHarness h = new(stores.Etcd);
    private readonly TempDirectory goStateDir = new("libkv-go-state-");

    [Fact]
    public async Task DelUndoesTheGoPluginsArrayNewestFirstWithItsInterfaceNames()
    {
        h.Delegates.Add("loopback", DelegateBehaviour.Succeed);
        // As the Go plugin ran it: CNI_IFNAME set from args.ifName for every later non-loopback element
        // and otherwise left as it was; element 4 has no ifName, so the Go plugin crashed there.
        var goFile = WriteGoState("""
            [{"name":"net","type":"rec"},{"type":"loopback"},{"name":"net2","type":"rec","args":{"ifName":"net1"}},
             {"type":"loopback","cniVersion":"0.2.0"},{"type":"rec"}]
            """);

        (await h.RunAsync("DEL", Conf())).AssertEmptySuccess();

        var calls = h.Delegates.Calls();
        Assert.Equal(["DEL loopback net1", "DEL rec net1", "DEL loopback eth0", "DEL rec eth0"], calls.Select(c => c.ToString()));
        // Elements go out as the Go plugin stored them, with a name where today's plugins insist on one.
        Assert.Equal("libkvtest", (string)calls[0].Conf["name"]!);
        Assert.Equal("0.2.0", (string)calls[0].Conf["cniVersion"]!);
        Assert.Equal("net2", (string)calls[1].Conf["name"]!);
        Assert.False(calls[3].Conf.ContainsKey("cniVersion"));
        Assert.All(calls, c => Assert.False(c.Conf.ContainsKey("prevResult")));
        Assert.False(File.Exists(goFile), "the Go plugin's file should be consumed, as its DEL did");
        Assert.Empty(h.StateFiles());
        (await h.RunAsync("DEL", Conf())).AssertEmptySuccess();
        Assert.Equal(4, h.Delegates.Calls().Count);
    }

    [Fact]
    public async Task AFailedDelKeepsWhatIsLeftInLibKvsOwnState()
    {
        var goFile = WriteGoState("""[{"name":"net","type":"rec"},{"name":"net","type":"rec-fail-del","args":{"ifName":"net1"}}]""");

        (await h.RunAsync("DEL", Conf())).AssertError(43);

        Assert.False(File.Exists(goFile));
        var state = JsonNode.Parse(File.ReadAllText(Assert.Single(h.StateFiles())))!;
        Assert.Equal([false, true], state["delegates"]!.AsArray().Select(d => (bool)d!["added"]!));
    }

    [Fact]
    public async Task CheckReadsTheGoStateWithoutConsumingIt()
    {
        var goFile = WriteGoState("""[{"name":"net","type":"rec"},{"name":"net","type":"rec","cniVersion":"1.0.0","args":{"ifName":"net1"}}]""");

        (await h.RunAsync("CHECK", Conf())).AssertEmptySuccess();

        // The unversioned element speaks 0.1.0, which has no CHECK; the 1.0.0 one is checked, with no
        // prevResult because the Go plugin kept none.
        var call = Assert.Single(h.Delegates.Calls());
        Assert.Equal("CHECK rec net1", call.ToString());
        Assert.False(call.Conf.ContainsKey("prevResult"));
        Assert.True(File.Exists(goFile));
    }

    [Fact]
    public async Task GcDeletesGoAttachmentsTheRuntimeNoLongerLists()
    {
        var stale = WriteGoState("""[{"name":"net","type":"rec"}]""");
        var kept = WriteGoState("""[{"name":"net","type":"rec"}]""", "ctrstillrunning");
        var conf = Conf("1.1.0");
        conf["cni.dev/valid-attachments"] = new JsonArray(new JsonObject { ["containerID"] = "ctrstillrunning", ["ifname"] = "eth0" });

        (await h.RunAsync("GC", conf, env =>
        {
            env.Remove("CNI_CONTAINERID");
            env.Remove("CNI_IFNAME");
            env.Remove("CNI_NETNS");
        })).AssertEmptySuccess();

        var call = Assert.Single(h.Delegates.Calls());
        Assert.Equal("DEL rec eth0", call.ToString());
        Assert.Equal(h.ContainerId, call.Environment["CNI_CONTAINERID"]);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(kept));
        Assert.Empty(h.StateFiles());
    }

    [Fact]
    public async Task AddNeverWritesTheGoStateDirectory()
    {
        await h.PutArrayAsync("""[{"type":"rec"}]""");

        (await h.RunAsync("ADD", Conf())).AssertSuccess();
        (await h.RunAsync("DEL", Conf())).AssertEmptySuccess();

        Assert.Empty(Directory.GetFileSystemEntries(goStateDir.Path));
    }

    [Fact]
    public async Task OwnStateWinsOverAGoFileOfTheSameContainer()
    {
        await h.PutArrayAsync("""[{"type":"rec"}]""");
        (await h.RunAsync("ADD", Conf())).AssertSuccess();
        var goFile = WriteGoState("""[{"name":"net","type":"rec-fail-del"}]""");

        (await h.RunAsync("DEL", Conf())).AssertEmptySuccess();

        Assert.Equal(["ADD rec eth0", "DEL rec eth0"], h.Delegates.Calls().Select(c => c.ToString()));
        Assert.True(File.Exists(goFile));
    }

    [Fact]
    public async Task ADamagedGoFileIsSetAsideAndTheStoreUsedInstead()
    {
        await h.PutArrayAsync("""[{"type":"rec"}]""");
        var goFile = WriteGoState("""[{"name":"net","ty""");

        var run = await h.RunAsync("DEL", Conf());

        run.AssertEmptySuccess();
        Assert.Equal(["DEL rec eth0"], h.Delegates.Calls().Select(c => c.ToString()));
        Assert.False(File.Exists(goFile));
        Assert.Single(Directory.GetFiles(goStateDir.Path, h.ContainerId + ".damaged-*"));
        Assert.Contains("damaged", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDefaultGoStateDirectoryIsTheGoPlugins()
    {
        // The sandbox's /var/run/cni is private to it: the default place is used without touching the host's.
        using var node = new NodeSandbox();
        var dir = Path.Combine(node.VarRunCni, "libkv");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, node.ContainerId), """[{"name":"net","type":"rec"}]""");
        var conf = h.Conf();
        conf.Remove("stateDir");

        var run = await node.RunAsync(LibKvBinary.Path, [], node.CniEnvironment("DEL", h.CniPath), conf.ToJsonString());

        run.AssertEmptySuccess();
        Assert.Equal(["DEL rec eth0"], h.Delegates.Calls().Select(c => c.ToString()));
        Assert.Empty(Directory.GetFiles(dir));
        Assert.Empty(node.LibKvStateFiles());
    }

    /// <summary>The seed's conf as the Go plugin read it, and as an operator may have versioned it at the upgrade.</summary>
    public static TheoryData<bool> Versioned => new() { false, true };

    [Theory]
    [MemberData(nameof(Versioned))]
    public async Task DelAfterARealAddByTheGoPluginRemovesEverything(bool versioned)
    {
        using var node = new NodeSandbox();
        var array = JsonNode.Parse(SeedFiles.Array)!.AsArray();
        var ifName = "eth0";
        for (var i = 0; i < array.Count; i++)
        {
            var element = (JsonObject)array[i]!.DeepClone();
            var type = (string)element["type"]!;
            if (i > 0 && type != "loopback")
            {
                ifName = (string)element["args"]!["ifName"]!;
            }

            // Today's loopback refuses a NetConf without a name, which the loopback of the Go plugin's days took.
            element["name"] ??= "libkv";
            var add = await node.RunAsync("/usr/lib/cni/" + type, [], node.CniEnvironment("ADD", "/usr/lib/cni", ifName), element.ToJsonString());
            Assert.True(add.ExitCode == 0, $"ADD of element {i} failed: {add.Stdout} {add.Stderr}");
        }

        Assert.Equal(2, node.Leases().Length);
        Assert.NotEmpty(node.NodeNatRules());
        var goDir = Path.Combine(node.VarRunCni, "libkv");
        Directory.CreateDirectory(goDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var goFile = Path.Combine(goDir, node.ContainerId);
        File.WriteAllText(goFile, SeedFiles.Array);
        File.SetUnixFileMode(goFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var conf = JsonNode.Parse(SeedFiles.ConfPointingAt(stores.Etcd.Uri))!.AsObject();
        if (versioned)
        {
            conf["cniVersion"] = "1.0.0";
        }

        var del = await node.RunAsync(LibKvBinary.Path, [], node.CniEnvironment("DEL", "/usr/lib/cni"), conf.ToJsonString());

        del.AssertEmptySuccess();
        node.AssertNothingLeft();
        Assert.False(File.Exists(goFile));
        Assert.Empty(node.LibKvStateFiles());
    }

    private JsonObject Conf(string cniVersion = "1.0.0")
    {
        var conf = h.Conf(cniVersion);
        conf["goStateDir"] = goStateDir.Path;
        return conf;
    }

    /// <summary>The Go plugin's scratch file: the stored value's raw bytes, mode 0600.</summary>
    private string WriteGoState(string rawArray, string? containerId = null)
    {
        var path = Path.Combine(goStateDir.Path, containerId ?? h.ContainerId);
        File.WriteAllText(path, rawArray);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    public void Dispose()
    {
        h.Dispose();
        goStateDir.Dispose();
    }
}
