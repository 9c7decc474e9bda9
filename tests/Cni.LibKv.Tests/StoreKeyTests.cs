using System.Text.Json.Nodes;
using ContivKsr.Cni.LibKv.Tests.Support;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>
/// Keys a Kubernetes operator can prepare: runtimes make sandbox IDs up at creation, so the key comes
/// from the pod (CNI_ARGS exactly as containerd and CRI-O pass them), and an optional defaultKey
/// serves every pod without one of its own.
/// </summary>
[Collection(LibKvCollection.Name)]
public sealed class StoreKeyTests(StoresFixture stores) : IDisposable
{
    private readonly LibKvHarness h = new(stores.Etcd);

    [Fact]
    public async Task IdentifierListJoinsTheNamedArgsWithSlashes()
    {
        await h.PutAsync(h.BasePath + "team-a/web", """[{"type":"rec","from":"team-a"}]""");
        await h.PutAsync(h.BasePath + "team-b/web", """[{"type":"rec","from":"team-b"}]""");
        var conf = PodKeyed();

        (await h.RunAsync("ADD", conf, PodArgs("team-b", "web"))).AssertSuccess();
        (await h.RunAsync("ADD", conf, env => { env["CNI_CONTAINERID"] = "othersandbox"; PodArgs("team-a", "web")(env); })).AssertSuccess();

        Assert.Equal(["team-b", "team-a"], h.Delegates.Calls().Select(c => (string)c.Conf["from"]!));
        Assert.Equal(h.BasePath.Trim('/') + "/team-b/web", (string)StateOf(h.ContainerId)["storeKey"]!);
    }

    [Fact]
    public async Task DefaultKeyServesPodsWithoutTheirOwnArray()
    {
        await h.PutAsync(h.BasePath + "cluster-default", """[{"type":"rec","from":"default"}]""");
        await h.PutAsync(h.BasePath + "team-a/special", """[{"type":"rec","from":"own"}]""");
        var conf = PodKeyed();
        conf["defaultKey"] = "cluster-default";

        (await h.RunAsync("ADD", conf, PodArgs("team-a", "plain"))).AssertSuccess();
        (await h.RunAsync("ADD", conf, env => { env["CNI_CONTAINERID"] = "othersandbox"; PodArgs("team-a", "special")(env); })).AssertSuccess();

        Assert.Equal(["default", "own"], h.Delegates.Calls().Select(c => (string)c.Conf["from"]!));
        Assert.Equal(h.BasePath.Trim('/') + "/cluster-default", (string)StateOf(h.ContainerId)["storeKey"]!);
    }

    [Fact]
    public async Task DelUsesTheRecordedKeyEvenAfterTheDefaultChanged()
    {
        await h.PutAsync(h.BasePath + "cluster-default", """[{"type":"rec"},{"type":"rec","args":{"ifName":"net1"}}]""");
        var conf = PodKeyed();
        conf["defaultKey"] = "cluster-default";
        (await h.RunAsync("ADD", conf, PodArgs("ns", "pod"))).AssertSuccess();
        await h.PutAsync(h.BasePath + "cluster-default", """[{"type":"rec-fail-del"}]""");

        (await h.RunAsync("DEL", conf, PodArgs("ns", "pod"))).AssertEmptySuccess();

        Assert.Equal(["ADD rec eth0", "ADD rec net1", "DEL rec net1", "DEL rec eth0"], h.Delegates.Calls().Select(c => c.ToString()));
    }

    [Fact]
    public async Task DelWithoutStateFallsBackToTheDefaultKeyToo()
    {
        await h.PutAsync(h.BasePath + "cluster-default", """[{"type":"rec"}]""");
        var conf = PodKeyed();
        conf["defaultKey"] = "/cluster-default/";

        (await h.RunAsync("DEL", conf, PodArgs("ns", "pod"))).AssertEmptySuccess();

        Assert.Equal(["DEL rec eth0"], h.Delegates.Calls().Select(c => c.ToString()));
    }

    [Fact]
    public async Task MissingInBothIsCode100NamingBothKeys()
    {
        var conf = PodKeyed();
        conf["defaultKey"] = "cluster-default";

        var error = (await h.RunAsync("ADD", conf, PodArgs("ns", "pod"))).AssertError(100);

        Assert.Contains("ns/pod", (string)error["msg"]!, StringComparison.Ordinal);
        Assert.Contains("cluster-default", (string)error["msg"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_INFRA_CONTAINER_ID=abc;K8S_POD_UID=u")]
    [InlineData("IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=;K8S_POD_INFRA_CONTAINER_ID=abc")]
    [InlineData("IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=a/b;K8S_POD_INFRA_CONTAINER_ID=abc")]
    public async Task AMissingEmptyOrSlashedArgIsCode4(string cniArgs)
    {
        var run = await h.RunAsync("ADD", PodKeyed(), env => env["CNI_ARGS"] = cniArgs);

        run.AssertError(4);
        Assert.Empty(h.Delegates.Calls());
    }

    [Theory]
    [InlineData("""{"identifier":[]}""")]
    [InlineData("""{"identifier":["K8S_POD_NAME",3]}""")]
    [InlineData("""{"identifier":["K8S_POD_NAME",""]}""")]
    [InlineData("""{"identifier":{"a":1}}""")]
    [InlineData("""{"defaultKey":"/"}""")]
    [InlineData("""{"defaultKey":7}""")]
    [InlineData("""{"goStateDir":"relative"}""")]
    public async Task MalformedKeySettingsAreCode7(string settings)
    {
        var conf = h.Conf();
        foreach (var (name, value) in JsonNode.Parse(settings)!.AsObject())
        {
            conf[name] = value?.DeepClone();
        }

        (await h.RunAsync("ADD", conf)).AssertError(7);
    }

    /// <summary>libkv keyed by namespace and pod name, as a Kubernetes operator would set it.</summary>
    private JsonObject PodKeyed()
    {
        var conf = h.Conf();
        conf["identifier"] = new JsonArray("K8S_POD_NAMESPACE", "K8S_POD_NAME");
        return conf;
    }

    /// <summary>CNI_ARGS as containerd's CRI plugin and CRI-O pass them.</summary>
    private static Action<Dictionary<string, string?>> PodArgs(string ns, string pod) => env =>
        env["CNI_ARGS"] = $"IgnoreUnknown=1;K8S_POD_NAMESPACE={ns};K8S_POD_NAME={pod};K8S_POD_INFRA_CONTAINER_ID={env["CNI_CONTAINERID"]};K8S_POD_UID=6f3c5e1a-2b7d-4c8e-9f00-1a2b3c4d5e6f";

    private JsonNode StateOf(string containerId) =>
        JsonNode.Parse(File.ReadAllText(h.StateFiles().Single(f => Path.GetFileName(f).StartsWith(containerId + "@", StringComparison.Ordinal))))!;

    public void Dispose() => h.Dispose();
}
