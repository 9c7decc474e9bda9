using System.Text.Json.Nodes;
using ContivKsr.Cni.LibKv.Tests.Support;
using ContivKsr.TestSupport;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>What each delegate receives and in which order, through the recording delegates.</summary>
[Collection(LibKvCollection.Name)]
public sealed class DelegationTests(StoresFixture stores) : IDisposable
{
    private const string ThreeDelegates = """
        [
          {"type":"rec","name":"main","custom":{"keep":[1,2,{"deep":null}]}},
          {"type":"rec","cniVersion":"1.0.0","args":{"ifName":"net1","other":"x"},"extra":true},
          {"type":"rec","args":{"ifName":"net2"}}
        ]
        """;

    private readonly LibKvHarness h = new(stores.Etcd);

    [Fact]
    public async Task AddRunsEachDelegateInOrderWithItsOwnEnvironmentAndConfig()
    {
        await h.PutArrayAsync(ThreeDelegates);

        var result = (await h.RunAsync("ADD")).AssertSuccess();

        var calls = h.Delegates.Calls();
        Assert.Equal(["ADD rec eth0", "ADD rec net1", "ADD rec net2"], calls.Select(c => c.ToString()));
        foreach (var call in calls)
        {
            Assert.Equal(
                ["CNI_ARGS", "CNI_COMMAND", "CNI_CONTAINERID", "CNI_IFNAME", "CNI_NETNS", "CNI_PATH"],
                call.Environment.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(h.ContainerId, call.Environment["CNI_CONTAINERID"]);
            Assert.Equal(h.Netns, call.Environment["CNI_NETNS"]);
            Assert.Equal("IgnoreUnknown=1;K8S_POD_NAME=pod-a", call.Environment["CNI_ARGS"]);
            Assert.Equal(h.CniPath, call.Environment["CNI_PATH"]);
        }

        // Each element exactly as stored, unknown fields untouched, plus libkv's name and cniVersion where missing.
        var stored = JsonNode.Parse(ThreeDelegates)!.AsArray();
        var expected0 = stored[0]!.DeepClone().AsObject();
        expected0["cniVersion"] = "1.0.0";
        var expected1 = stored[1]!.DeepClone().AsObject();
        expected1["name"] = "libkvtest";
        var expected2 = stored[2]!.DeepClone().AsObject();
        expected2["name"] = "libkvtest";
        expected2["cniVersion"] = "1.0.0";
        AssertJsonEqual(expected0, calls[0].Conf);
        AssertJsonEqual(expected1, calls[1].Conf);
        AssertJsonEqual(expected2, calls[2].Conf);

        // The main (first) delegate's result is libkv's result.
        Assert.Equal("eth0", (string)result["interfaces"]![0]!["name"]!);
        Assert.Equal("10.77.0.1/24", (string)result["ips"]![0]!["address"]!);
    }

    [Fact]
    public async Task StateIsCachedForRootOnly()
    {
        await h.PutArrayAsync(ThreeDelegates);
        (await h.RunAsync("ADD")).AssertSuccess();

        var file = Assert.Single(h.StateFiles());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Empty(Directory.GetFiles(h.StateDir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task DelRunsInReverseOrderWithEachDelegatesResultAndForgetsTheAttachment()
    {
        await h.PutArrayAsync(ThreeDelegates);
        (await h.RunAsync("ADD")).AssertSuccess();
        var added = h.Delegates.Calls();

        (await h.RunAsync("DEL")).AssertEmptySuccess();

        var deletes = h.Delegates.Calls().Skip(3).ToList();
        Assert.Equal(["DEL rec net2", "DEL rec net1", "DEL rec eth0"], deletes.Select(c => c.ToString()));
        Assert.Equal(h.Netns, deletes[0].Environment["CNI_NETNS"]);
        foreach (var del in deletes)
        {
            var add = added.Single(a => a.IfName == del.IfName);
            var prevResult = del.Conf["prevResult"]!;
            Assert.Equal(add.IfName, (string)prevResult["interfaces"]![0]!["name"]!);
            Assert.Equal($"10.77.0.{add.Sequence}/24", (string)prevResult["ips"]![0]!["address"]!);
            var withoutPrevResult = del.Conf.DeepClone().AsObject();
            withoutPrevResult.Remove("prevResult");
            AssertJsonEqual(add.Conf, withoutPrevResult);
        }

        Assert.Empty(h.StateFiles());
    }

    [Fact]
    public async Task RepeatedDelSucceeds()
    {
        await h.PutArrayAsync(ThreeDelegates);
        (await h.RunAsync("ADD")).AssertSuccess();

        (await h.RunAsync("DEL")).AssertEmptySuccess();
        (await h.RunAsync("DEL")).AssertEmptySuccess();
        (await h.RunAsync("DEL")).AssertEmptySuccess();

        Assert.Empty(h.StateFiles());
    }

    [Fact]
    public async Task DelUsesTheCacheEvenWhenTheStoredArrayChangedOrVanished()
    {
        await h.PutArrayAsync(ThreeDelegates);
        (await h.RunAsync("ADD")).AssertSuccess();
        await h.Store.DeleteAsync(h.Key);

        (await h.RunAsync("DEL")).AssertEmptySuccess();

        Assert.Equal(["DEL rec net2", "DEL rec net1", "DEL rec eth0"], h.Delegates.Calls().Skip(3).Select(c => c.ToString()));
    }

    [Fact]
    public async Task CheckRunsInOrderWithCachedResults()
    {
        await h.PutArrayAsync(ThreeDelegates);
        (await h.RunAsync("ADD")).AssertSuccess();

        (await h.RunAsync("CHECK")).AssertEmptySuccess();

        var checks = h.Delegates.Calls().Skip(3).ToList();
        Assert.Equal(["CHECK rec eth0", "CHECK rec net1", "CHECK rec net2"], checks.Select(c => c.ToString()));
        Assert.All(checks, c => Assert.NotNull(c.Conf["prevResult"]));
    }

    [Fact]
    public async Task FailingDelegateRollsBackTheEarlierOnesNewestFirstAndPassesItsErrorThrough()
    {
        await h.PutArrayAsync("""
            [{"type":"rec"},{"type":"rec","args":{"ifName":"net1"}},{"type":"rec-fail-add","args":{"ifName":"net2"}},{"type":"rec","args":{"ifName":"net3"}}]
            """);

        var error = (await h.RunAsync("ADD")).AssertError(42);

        Assert.Equal("rec refused", (string)error["msg"]!);
        Assert.Equal("as told", (string)error["details"]!);
        Assert.Equal(
            ["ADD rec eth0", "ADD rec net1", "ADD rec-fail-add net2", "DEL rec net1", "DEL rec eth0"],
            h.Delegates.Calls().Select(c => c.ToString()));
        Assert.Empty(h.StateFiles());
    }

    [Fact]
    public async Task DelGoesOnPastAFailureReportsItAndKeepsOnlyWhatIsLeft()
    {
        await h.PutArrayAsync("""
            [{"type":"rec"},{"type":"rec-fail-del","args":{"ifName":"net1"}},{"type":"rec","args":{"ifName":"net2"}}]
            """);
        (await h.RunAsync("ADD")).AssertSuccess();

        (await h.RunAsync("DEL")).AssertError(43);
        // The failure is tried once more after the others are gone (elements may share host resources).
        Assert.Equal(["DEL rec net2", "DEL rec-fail-del net1", "DEL rec eth0", "DEL rec-fail-del net1"], h.Delegates.Calls().Skip(3).Select(c => c.ToString()));
        Assert.Single(h.StateFiles());

        // A retried DEL only revisits what is still there, once: nothing else changed meanwhile.
        (await h.RunAsync("DEL")).AssertError(43);
        Assert.Equal(["DEL rec-fail-del net1"], h.Delegates.Calls().Skip(7).Select(c => c.ToString()));
    }

    [Fact]
    public async Task SeveralDelFailuresAreAllReported()
    {
        await h.PutArrayAsync("""
            [{"type":"rec-fail-del"},{"type":"rec-fail-del","args":{"ifName":"net1"}}]
            """);
        (await h.RunAsync("ADD")).AssertSuccess();

        var error = (await h.RunAsync("DEL")).AssertError(105);

        Assert.Contains("eth0", (string)error["msg"]!, StringComparison.Ordinal);
        Assert.Contains("net1", (string)error["msg"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HungDelegateIsKilledAtTheDeadlineAndRolledBack()
    {
        await h.PutArrayAsync("""[{"type":"rec"},{"type":"rec-hang","args":{"ifName":"net1"}}]""");
        var conf = h.Conf();
        conf["timeout"] = 1;

        var started = DateTime.UtcNow;
        var error = (await h.RunAsync("ADD", conf, patience: TimeSpan.FromSeconds(30))).AssertError(103);

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), "the deadline did not stop the delegate");
        var pid = h.Delegates.HungPid();
        Assert.NotNull(pid);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"the hung delegate (pid {pid}) is still running");
        Assert.Contains("rec-hang", (string)error["msg"]!, StringComparison.Ordinal);
        Assert.Equal(["ADD rec eth0", "ADD rec-hang net1", "DEL rec eth0"], h.Delegates.Calls().Select(c => c.ToString()));
        Assert.Empty(h.StateFiles());
    }

    [Fact]
    public async Task DelegateStderrIsForwarded()
    {
        await h.PutArrayAsync("""[{"type":"rec"}]""");

        var run = await h.RunAsync("ADD");

        run.AssertSuccess();
        Assert.Contains("recording delegate rec saw ADD", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdentifierPicksTheKeyFromCniArgs()
    {
        await h.PutAsync(h.BasePath + "pod-a", """[{"type":"rec","fromPodKey":true}]""");
        var conf = h.Conf();
        conf["identifier"] = "K8S_POD_NAME";

        (await h.RunAsync("ADD", conf)).AssertSuccess();

        Assert.True((bool)h.Delegates.Calls().Single().Conf["fromPodKey"]!);
    }

    [Fact]
    public async Task RuntimeConfigIsHandedToDelegatesThatHaveNone()
    {
        await h.PutArrayAsync("""[{"type":"rec"},{"type":"rec","args":{"ifName":"net1"},"runtimeConfig":{"own":1}}]""");
        var conf = h.Conf();
        conf["runtimeConfig"] = new JsonObject { ["portMappings"] = new JsonArray(new JsonObject { ["hostPort"] = 8080 }) };

        (await h.RunAsync("ADD", conf)).AssertSuccess();

        var calls = h.Delegates.Calls();
        Assert.Equal(8080, (int)calls[0].Conf["runtimeConfig"]!["portMappings"]![0]!["hostPort"]!);
        Assert.Equal(1, (int)calls[1].Conf["runtimeConfig"]!["own"]!);
    }

    [Fact]
    public async Task GcDeletesOnlyAttachmentsTheRuntimeNoLongerLists()
    {
        await h.PutArrayAsync("""[{"type":"rec"}]""");
        var conf = h.Conf("1.1.0");
        (await h.RunAsync("ADD", conf)).AssertSuccess();
        (await h.RunAsync("ADD", conf, env => env["CNI_IFNAME"] = "eth1")).AssertSuccess();
        conf["cni.dev/valid-attachments"] = new JsonArray(new JsonObject { ["containerID"] = h.ContainerId, ["ifname"] = "eth0" });

        (await h.RunAsync("GC", conf, env =>
        {
            env.Remove("CNI_CONTAINERID");
            env.Remove("CNI_IFNAME");
            env.Remove("CNI_NETNS");
        })).AssertEmptySuccess();

        Assert.Equal(["ADD rec eth0", "ADD rec eth1", "DEL rec eth1"], h.Delegates.Calls().Select(c => c.ToString()));
        Assert.EndsWith("@eth0.json", Assert.Single(h.StateFiles()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusReportsWhetherTheStoreAnswers()
    {
        (await h.RunAsync("STATUS", h.Conf("1.1.0"))).AssertEmptySuccess();

        var down = h.Conf("1.1.0");
        down["uri"] = $"127.0.0.1:{FreePort.Closed()}";
        down["storeConfig"] = new JsonObject { ["connectionTimeout"] = 1 };
        (await h.RunAsync("STATUS", down)).AssertError(50);
    }

    private static void AssertJsonEqual(JsonNode expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()}\nactual   {actual.ToJsonString()}");

    public void Dispose() => h.Dispose();
}
