using System.Text.Json.Nodes;
using ContivKsr.Cni.LibKv.Tests.Support;
using ContivKsr.TestSupport;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>The store-facing behaviour of libkv on every backend: reading, a missing key, an unreachable store, STATUS.</summary>
[Collection(LibKvCollection.Name)]
public sealed class BackendTests(StoresFixture stores)
{
    public static TheoryData<string> Backends => StoresFixture.Backends;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task AddReadsTheArrayAndDelNeedsNoStore(string backend)
    {
        using var h = new LibKvHarness(stores[backend]);
        await h.PutArrayAsync("""[{"type":"rec"},{"type":"rec","args":{"ifName":"net1"}}]""");

        (await h.RunAsync("ADD")).AssertSuccess();
        await h.Store.DeleteAsync(h.Key);
        (await h.RunAsync("DEL")).AssertEmptySuccess();

        Assert.Equal(["ADD rec eth0", "ADD rec net1", "DEL rec net1", "DEL rec eth0"], h.Delegates.Calls().Select(c => c.ToString()));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task MissingKeyIsCode100(string backend)
    {
        using var h = new LibKvHarness(stores[backend]);
        (await h.RunAsync("ADD")).AssertError(100);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task UnreachableStoreIsCode11AndStatus50(string backend)
    {
        using var h = new LibKvHarness(stores[backend]);
        var conf = h.Conf("1.1.0");
        conf["uri"] = $"127.0.0.1:{FreePort.Closed()}";
        conf["storeConfig"] = new JsonObject { ["connectionTimeout"] = 1 };

        (await h.RunAsync("ADD", conf)).AssertError(11);
        (await h.RunAsync("STATUS", conf)).AssertError(50);
        (await h.RunAsync("STATUS", h.Conf("1.1.0"))).AssertEmptySuccess();
    }
}
