using System.Text.Json.Nodes;
using ContivKsr.Cni.LibKv.Tests.Support;
using ContivKsr.TestSupport;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>exec-plugins.sh, the seed's runtime stand-in: file order for ADD, reverse for DEL, loud failures.</summary>
[Collection(LibKvCollection.Name)]
public sealed class ExecPluginsScriptTests(StoresFixture stores) : IDisposable
{
    private readonly LibKvHarness h = new(stores.Etcd);
    private readonly TempDirectory netConfPath = new("libkv-netconf-");
    private readonly TempDirectory bin = new("libkv-bin-");

    [Fact]
    public async Task RunsEveryConfInOrderAndDeletesInReverse()
    {
        await h.PutArrayAsync("""[{"type":"rec"},{"type":"rec","args":{"ifName":"net1"}}]""");
        WriteConf("10-libkv.conf", h.Conf());
        WriteConf("20-direct.conf", new JsonObject { ["cniVersion"] = "1.0.0", ["name"] = "direct", ["type"] = "rec" });

        var add = await RunScriptAsync("add");
        Assert.True(add.ExitCode == 0, add.Stderr);
        Assert.Equal(2, add.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var del = await RunScriptAsync("del");
        Assert.True(del.ExitCode == 0, del.Stderr);

        Assert.Equal(
            ["ADD rec eth0", "ADD rec net1", "ADD rec eth1", "DEL rec eth1", "DEL rec net1", "DEL rec eth0"],
            h.Delegates.Calls().Select(c => c.ToString()));
        Assert.All(h.Delegates.Calls(), c => Assert.Equal(h.ContainerId, c.Environment["CNI_CONTAINERID"]));
    }

    [Fact]
    public async Task FailureIsReportedWithThePluginsErrorAndANonZeroExit()
    {
        WriteConf("10-fails.conf", new JsonObject { ["cniVersion"] = "1.0.0", ["name"] = "fails", ["type"] = "rec-fail-add" });

        var add = await RunScriptAsync("add");

        Assert.NotEqual(0, add.ExitCode);
        Assert.Contains("code 42: rec refused", add.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("start")]
    [InlineData("")]
    public async Task BadVerbIsAUsageError(string verb)
    {
        var run = await RunScriptAsync(verb);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("usage", run.Stderr, StringComparison.Ordinal);
    }

    private void WriteConf(string name, JsonObject conf) =>
        File.WriteAllText(Path.Combine(netConfPath.Path, name), conf.ToJsonString());

    private Task<CniRun> RunScriptAsync(string verb)
    {
        var link = Path.Combine(bin.Path, "libkv");
        if (!File.Exists(link))
        {
            File.CreateSymbolicLink(link, LibKvBinary.Path);
        }

        return CniRun.ExecAsync("/bin/bash", new Dictionary<string, string?>
        {
            ["NETCONFPATH"] = netConfPath.Path,
            ["CNI_PATH"] = $"{h.Delegates.PluginDirectory}:{bin.Path}",
        }, null, arguments: [Path.Combine(RepositoryRoot.Path, "exec-plugins.sh"), verb, h.ContainerId, h.Netns]);
    }

    public void Dispose()
    {
        h.Dispose();
        netConfPath.Dispose();
        bin.Dispose();
    }
}
