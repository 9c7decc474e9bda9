using System.Text.Json.Nodes;
using ContivKsr.Cni.LibKv.Tests.Support;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>
/// VERSION, and every verb in every supported cniVersion (0.1.0 to 1.1.0), with the result converted
/// to libkv's version and each delegate's prevResult in its own.
/// </summary>
[Collection(LibKvCollection.Name)]
public sealed class SpecVersionTests(StoresFixture stores) : IDisposable
{
    private static readonly string[] Supported = ["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];
    private readonly LibKvHarness h = new(stores.Etcd);

    public static TheoryData<string> SupportedVersions => new(Supported);

    [Theory]
    [InlineData(null, "1.1.0")]
    [InlineData("", "1.1.0")]
    [InlineData("garbage", "1.1.0")]
    [InlineData("{\"cniVersion\":\"0.5.0\"}", "1.1.0")]
    [InlineData("{\"name\":\"no-version\"}", "1.1.0")]
    [InlineData("{\"cniVersion\":\"0.1.0\"}", "0.1.0")]
    [InlineData("{\"cniVersion\":\"0.2.0\"}", "0.2.0")]
    [InlineData("{\"cniVersion\":\"0.3.0\"}", "0.3.0")]
    [InlineData("{\"cniVersion\":\"0.3.1\"}", "0.3.1")]
    [InlineData("{\"cniVersion\":\"0.4.0\"}", "0.4.0")]
    [InlineData("{\"cniVersion\":\"1.0.0\"}", "1.0.0")]
    [InlineData("{\"cniVersion\":\"1.1.0\"}", "1.1.0")]
    public async Task VersionAnswersWhateverStdinHolds(string? stdin, string expected)
    {
        var run = await CniRun.ExecAsync(LibKvBinary.Path, new Dictionary<string, string?> { ["CNI_COMMAND"] = "VERSION" }, stdin);
        var info = run.AssertSuccess();
        Assert.Equal(expected, (string)info["cniVersion"]!);
        Assert.Equal(Supported, info["supportedVersions"]!.AsArray().Select(v => (string)v!));
    }

    /// <summary>A closed stdout, or a reader that has gone: the answer is dropped, never a crash with a trace.</summary>
    [Theory]
    [InlineData("VERSION", "\"$0\" >&-", 0)]
    [InlineData("VERSION", "\"$0\" | (exec <&-; sleep 0.2)", 0)]
    [InlineData("BOGUS", "\"$0\" >&-", 1)]
    public async Task AnswersIntoAClosedOrAbandonedStdoutWithoutCrashing(string command, string script, int expectedExit)
    {
        var run = await CniRun.ExecAsync("/bin/sh", new Dictionary<string, string?> { ["CNI_COMMAND"] = command }, "{}",
            arguments: ["-c", script + "; echo \"exit=$?\" >&2", LibKvBinary.Path]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"exit={expectedExit}", run.Stderr.Trim());
    }

    [Theory]
    [MemberData(nameof(SupportedVersions))]
    public async Task AddCheckDelInEveryVersion(string version)
    {
        await h.PutArrayAsync("""[{"type":"rec"},{"type":"rec","args":{"ifName":"net1"}}]""");

        var result = (await h.RunAsync("ADD", h.Conf(version))).AssertSuccess();

        Assert.Equal(version, (string)result["cniVersion"]!);
        Assert.Equal("10.77.0.1/24", AddressOf(result, version));
        Assert.All(h.Delegates.Calls(), call => Assert.Equal(version, (string)call.Conf["cniVersion"]!));

        var check = await h.RunAsync("CHECK", h.Conf(version));
        if (version is "0.1.0" or "0.2.0" or "0.3.0" or "0.3.1")
        {
            check.AssertError(1);
        }
        else
        {
            check.AssertEmptySuccess();
        }

        (await h.RunAsync("DEL", h.Conf(version))).AssertEmptySuccess();
        Assert.Empty(h.StateFiles());

        // DEL carries each delegate's own result from 0.4.0 on (spec), never before.
        var deletes = h.Delegates.Calls().Where(c => c.Command == "DEL").ToList();
        Assert.Equal(2, deletes.Count);
        Assert.All(deletes, d => Assert.Equal(version is "0.4.0" or "1.0.0" or "1.1.0", d.Conf.ContainsKey("prevResult")));
    }

    /// <summary>libcni reads a config without cniVersion as 0.1.0; so does libkv, and so do its elements.</summary>
    [Fact]
    public async Task AConfigWithoutCniVersionIs010()
    {
        await h.PutArrayAsync("""[{"type":"rec"},{"type":"rec","cniVersion":"1.0.0","args":{"ifName":"net1"}}]""");
        var conf = h.Conf();
        conf.Remove("cniVersion");

        var result = (await h.RunAsync("ADD", conf)).AssertSuccess();

        Assert.Equal("""{"cniVersion":"0.1.0","ip4":{"ip":"10.77.0.1/24","gateway":"10.77.0.1"},"dns":{}}""", result.ToJsonString());
        Assert.Equal(["0.1.0", "1.0.0"], h.Delegates.Calls().Select(c => (string)c.Conf["cniVersion"]!));
        (await h.RunAsync("CHECK", conf)).AssertError(1);
        (await h.RunAsync("DEL", conf)).AssertEmptySuccess();
        Assert.Empty(h.StateFiles());
        Assert.Equal("0.1.0", (string)(await h.RunAsync("GC", conf)).AssertError(1)["cniVersion"]!);
    }

    [Theory]
    [InlineData("GC", "0.3.1")]
    [InlineData("GC", "0.4.0")]
    [InlineData("GC", "1.0.0")]
    [InlineData("STATUS", "0.3.0")]
    [InlineData("STATUS", "0.4.0")]
    [InlineData("STATUS", "1.0.0")]
    public async Task GcAndStatusNeedVersion110(string command, string version)
    {
        var run = await h.RunAsync(command, h.Conf(version));
        run.AssertError(1);
    }

    [Theory]
    [InlineData("0.4.0", "1.1.0")]
    [InlineData("0.2.0", "1.0.0")]
    [InlineData("1.0.0", "0.2.0")]
    [InlineData("0.1.0", "0.4.0")]
    [InlineData("1.1.0", "0.1.0")]
    public async Task ElementVersionIsKeptAndTheResultConvertedToLibkvsVersion(string elementVersion, string libkvVersion)
    {
        await h.PutArrayAsync($$"""[{"type":"rec","cniVersion":"{{elementVersion}}"}]""");

        var result = (await h.RunAsync("ADD", h.Conf(libkvVersion))).AssertSuccess();

        Assert.Equal(elementVersion, (string)h.Delegates.Calls().Single().Conf["cniVersion"]!);
        Assert.Equal(libkvVersion, (string)result["cniVersion"]!);
        Assert.Equal("10.77.0.1/24", AddressOf(result, libkvVersion));
        (await h.RunAsync("DEL", h.Conf(libkvVersion))).AssertEmptySuccess();
    }

    /// <summary>
    /// A delegate that answers in another version than it was asked for gets its result back in its
    /// own version as prevResult (DEL and CHECK), as libcni converts a cached result.
    /// </summary>
    [Fact]
    public async Task PrevResultIsInTheDelegatesOwnVersion()
    {
        await h.PutArrayAsync("""[{"type":"rec"},{"type":"rec-040","args":{"ifName":"net1"}},{"type":"rec","cniVersion":"0.2.0","args":{"ifName":"net2"}}]""");
        (await h.RunAsync("ADD", h.Conf("1.0.0"))).AssertSuccess();

        (await h.RunAsync("CHECK", h.Conf("1.0.0"))).AssertEmptySuccess();
        (await h.RunAsync("DEL", h.Conf("1.0.0"))).AssertEmptySuccess();

        var calls = h.Delegates.Calls();
        var withPrevResult = calls.Where(c => c.Type == "rec-040" && c.Command is "CHECK" or "DEL").ToList();
        Assert.Equal(2, withPrevResult.Count);
        foreach (var call in withPrevResult)
        {
            Assert.Equal(
                """{"cniVersion":"1.0.0","interfaces":[{"name":"net1","sandbox":"/var/run/netns/libkv-recording"}],"ips":[{"interface":0,"address":"10.77.0.2/24","gateway":"10.77.0.1"}]}""",
                call.Conf["prevResult"]!.ToJsonString());
        }

        // The 0.2.0 element has neither CHECK nor a prevResult in DEL.
        Assert.DoesNotContain(calls, c => c.IfName == "net2" && c.Command == "CHECK");
        Assert.False(calls.Single(c => c.IfName == "net2" && c.Command == "DEL").Conf.ContainsKey("prevResult"));
        Assert.Equal(["ADD", "ADD", "ADD", "CHECK", "CHECK", "DEL", "DEL", "DEL"], calls.Select(c => c.Command));
    }

    /// <summary>
    /// A cached result that cannot be converted to its delegate's version fails CHECK (code 6), but
    /// DEL goes ahead without a prevResult rather than never succeeding.
    /// </summary>
    [Fact]
    public async Task AnUnconvertibleCachedResultFailsCheckButNotDel()
    {
        await h.PutArrayAsync("""[{"type":"rec"},{"type":"rec","args":{"ifName":"net1"}}]""");
        (await h.RunAsync("ADD", h.Conf("1.0.0"))).AssertSuccess();
        var file = Assert.Single(h.StateFiles());
        var state = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!;
        state["delegates"]![1]!["result"] = System.Text.Json.Nodes.JsonNode.Parse("""{"cniVersion":"0.4.0","ips":[{"version":"4","address":"not-an-address"}]}""");
        File.WriteAllText(file, state.ToJsonString());

        (await h.RunAsync("CHECK", h.Conf("1.0.0"))).AssertError(6);
        (await h.RunAsync("DEL", h.Conf("1.0.0"))).AssertEmptySuccess();

        var deletes = h.Delegates.Calls().Where(c => c.Command == "DEL").ToList();
        Assert.Equal(["net1", "eth0"], deletes.Select(d => d.IfName));
        Assert.False(deletes[0].Conf.ContainsKey("prevResult"));
        Assert.True(deletes[1].Conf.ContainsKey("prevResult"));
        Assert.Empty(h.StateFiles());
    }

    [Fact]
    public async Task ErrorsCarryTheConfigsVersion()
    {
        var run = await h.RunAsync("ADD", h.Conf("0.4.0"));
        var error = run.AssertError(100);
        Assert.Equal("0.4.0", (string)error["cniVersion"]!);
    }

    public void Dispose() => h.Dispose();

    /// <summary>The first IPv4 address of a result, wherever its version puts it.</summary>
    private static string AddressOf(System.Text.Json.Nodes.JsonObject result, string version)
    {
        if (version is "0.1.0" or "0.2.0")
        {
            Assert.Null(result["ips"]);
            Assert.Null(result["interfaces"]);
            return (string)result["ip4"]!["ip"]!;
        }

        Assert.Null(result["ip4"]);
        var ip = result["ips"]!.AsArray()[0]!.AsObject();
        // 0.3.x and 0.4.0 results name the IP family; 1.x results must not.
        Assert.Equal(version is "0.3.0" or "0.3.1" or "0.4.0" ? "4" : null, (string?)ip["version"]);
        return (string)ip["address"]!;
    }
}
