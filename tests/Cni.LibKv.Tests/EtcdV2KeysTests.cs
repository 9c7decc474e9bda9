using System.Text.Json.Nodes;
using ContivKsr.Cni.LibKv.Tests.Support;
using ContivKsr.TestSupport;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>
/// Arrays stored in etcd's v2 keyspace, as the original libkv README stores them (<c>etcdctl set</c>,
/// etcd's v2 API), read by the real libkv from a real etcd 3.4 started with --enable-v2:
/// storeBackend "etcd" reads v3 first and then v2, "etcdv3" only v3, "etcdv2" only v2.
/// </summary>
[Collection(LibKvCollection.Name)]
public sealed class EtcdV2KeysTests(StoresFixture stores) : IDisposable
{
    private const string TwoDelegates = """[{"type":"rec"},{"type":"rec","args":{"ifName":"net1"}}]""";
    private const string OneDelegate = """[{"type":"rec"}]""";

    private readonly LibKvHarness h = new(stores.EtcdWithV2);

    [Theory]
    [InlineData("etcd")]
    [InlineData("etcdv2")]
    public async Task AddAndDelUseAnArrayThatEtcdctlSetIntoV2(string backend)
    {
        await Etcdctl.V2SetAsync(h.Store.Uri, h.Key, TwoDelegates);

        (await h.RunAsync("ADD", Conf(backend))).AssertSuccess();
        (await h.RunAsync("DEL", Conf(backend))).AssertEmptySuccess();

        Assert.Equal(["ADD rec eth0", "ADD rec net1", "DEL rec net1", "DEL rec eth0"], h.Delegates.Calls().Select(c => c.ToString()));
    }

    [Fact]
    public async Task AddReadsAnArrayWrittenWithTheV2HttpApi()
    {
        using (var http = new EtcdV2Http(h.Store.Uri))
        {
            await http.SetAsync(h.Key, TwoDelegates);
        }

        (await h.RunAsync("ADD", Conf("etcd"))).AssertSuccess();

        Assert.Equal(["ADD rec eth0", "ADD rec net1"], h.Delegates.Calls().Select(c => c.ToString()));
    }

    [Fact]
    public async Task EachBackendNameReadsItsOwnKeyspace()
    {
        await h.PutArrayAsync(OneDelegate);
        await Etcdctl.V2SetAsync(h.Store.Uri, h.Key, TwoDelegates);

        // DEL after each ADD, so that the next ADD starts afresh; the calls tell which array was read.
        foreach (var backend in new[] { "etcd", "etcdv3", "etcdv2" })
        {
            (await h.RunAsync("ADD", Conf(backend))).AssertSuccess();
            (await h.RunAsync("DEL", Conf(backend))).AssertEmptySuccess();
        }

        Assert.Equal(
            ["ADD rec eth0", "DEL rec eth0", "ADD rec eth0", "DEL rec eth0", "ADD rec eth0", "ADD rec net1", "DEL rec net1", "DEL rec eth0"],
            h.Delegates.Calls().Select(c => c.ToString()));
    }

    [Fact]
    public async Task EtcdV3IgnoresAV2Array()
    {
        await Etcdctl.V2SetAsync(h.Store.Uri, h.Key, TwoDelegates);

        (await h.RunAsync("ADD", Conf("etcdv3"))).AssertError(100);

        Assert.Empty(h.Delegates.Calls());
    }

    [Theory]
    [InlineData("etcd")]
    [InlineData("etcdv3")]
    [InlineData("etcdv2")]
    public async Task MissingInBothKeyspacesIsCode100(string backend)
    {
        var error = (await h.RunAsync("ADD", Conf(backend))).AssertError(100);

        Assert.Contains(h.Key, (string)error["msg"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("etcd")]
    [InlineData("etcdv2")]
    public async Task AV2DirectoryAtTheKeyIsCode107(string backend)
    {
        await Etcdctl.V2SetAsync(h.Store.Uri, h.Key + "/eth0", OneDelegate);

        var error = (await h.RunAsync("ADD", Conf(backend))).AssertError(107);

        Assert.Contains($"directory at '/{h.Key}'", (string)error["msg"]!, StringComparison.Ordinal);
        Assert.Empty(h.Delegates.Calls());
    }

    [Fact]
    public async Task AServerWithoutV2IsReadAsV3Alone()
    {
        using var noV2 = new LibKvHarness(stores.Etcd);

        (await noV2.RunAsync("ADD", Conf(noV2, "etcd"))).AssertError(100);
        (await noV2.RunAsync("STATUS", Conf(noV2, "etcd", "1.1.0"))).AssertEmptySuccess();
        await noV2.PutArrayAsync(OneDelegate);
        (await noV2.RunAsync("ADD", Conf(noV2, "etcd"))).AssertSuccess();
        Assert.Equal(["ADD rec eth0"], noV2.Delegates.Calls().Select(c => c.ToString()));
    }

    [Fact]
    public async Task EtcdV2OnAServerWithoutV2IsAConfigurationError()
    {
        using var noV2 = new LibKvHarness(stores.Etcd);

        var add = (await noV2.RunAsync("ADD", Conf(noV2, "etcdv2"))).AssertError(7);
        var status = (await noV2.RunAsync("STATUS", Conf(noV2, "etcdv2", "1.1.0"))).AssertError(50);

        Assert.Contains("--enable-v2", (string)add["msg"]!, StringComparison.Ordinal);
        Assert.Contains("does not serve the v2 API", (string)status["msg"]!, StringComparison.Ordinal);
    }

    public void Dispose() => h.Dispose();

    private JsonObject Conf(string backend) => Conf(h, backend);

    private static JsonObject Conf(LibKvHarness harness, string backend, string cniVersion = "1.0.0")
    {
        var conf = harness.Conf(cniVersion);
        conf["storeBackend"] = backend;
        return conf;
    }
}
