using System.Text.Json.Nodes;
using ContivKsr.Cni.LibKv.Tests.Support;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>VERSION, and every verb in every supported cniVersion, with the result converted to that version.</summary>
[Collection(LibKvCollection.Name)]
public sealed class SpecVersionTests(StoresFixture stores) : IDisposable
{
    private static readonly string[] Supported = ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];
    private readonly LibKvHarness h = new(stores.Etcd);

    public static TheoryData<string> SupportedVersions => new(Supported);

    [Theory]
    [InlineData(null, "1.1.0")]
    [InlineData("", "1.1.0")]
    [InlineData("garbage", "1.1.0")]
    [InlineData("{\"cniVersion\":\"0.2.0\"}", "1.1.0")]
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
        var ip = result["ips"]!.AsArray().Single()!.AsObject();
        Assert.Equal("10.77.0.1/24", (string)ip["address"]!);
        // 0.3.x and 0.4.0 results name the IP family; 1.x results must not.
        Assert.Equal(version.StartsWith('0') ? "4" : null, (string?)ip["version"]);
        Assert.All(h.Delegates.Calls(), call => Assert.Equal(version, (string)call.Conf["cniVersion"]!));

        var check = await h.RunAsync("CHECK", h.Conf(version));
        if (version is "0.3.0" or "0.3.1")
        {
            check.AssertError(1);
        }
        else
        {
            check.AssertEmptySuccess();
        }

        (await h.RunAsync("DEL", h.Conf(version))).AssertEmptySuccess();
        Assert.Empty(h.StateFiles());
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

    [Fact]
    public async Task ElementVersionIsKeptAndTheResultConvertedToLibkvsVersion()
    {
        await h.PutArrayAsync("""[{"type":"rec","cniVersion":"0.4.0"}]""");

        var result = (await h.RunAsync("ADD", h.Conf("1.1.0"))).AssertSuccess();

        Assert.Equal("0.4.0", (string)h.Delegates.Calls().Single().Conf["cniVersion"]!);
        Assert.Equal("1.1.0", (string)result["cniVersion"]!);
        Assert.Null(result["ips"]![0]!["version"]);
        Assert.Equal("eth0", (string)result["interfaces"]![0]!["name"]!);
    }

    [Fact]
    public async Task ErrorsCarryTheConfigsVersion()
    {
        var run = await h.RunAsync("ADD", h.Conf("0.4.0"));
        var error = run.AssertError(100);
        Assert.Equal("0.4.0", (string)error["cniVersion"]!);
    }

    public void Dispose() => h.Dispose();
}
