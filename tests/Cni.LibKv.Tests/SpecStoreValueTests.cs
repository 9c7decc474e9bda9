using System.Text.Json.Nodes;
using ContivKsr.Cni.LibKv.Tests.Support;
using ContivKsr.TestSupport;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>
/// Missing, malformed and invalid stored arrays: ADD fails with the exact code before any delegate
/// runs (the whole array is checked first); DEL without cached state succeeds, as nothing was set up.
/// </summary>
[Collection(LibKvCollection.Name)]
public sealed class SpecStoreValueTests(StoresFixture stores) : IDisposable
{
    private readonly LibKvHarness h = new(stores.Etcd);

    public static TheoryData<string, int> InvalidValues => new()
    {
        { "not json", 6 },
        { "[{\"type\":\"rec\"}", 6 },
        { "{\"type\":\"rec\"}", 7 },
        { "\"rec\"", 7 },
        { "[]", 7 },
        { "[1]", 7 },
        { "[{\"type\":\"rec\"}, null]", 7 },
        { "[{\"name\":\"no-type\"}]", 7 },
        { "[{\"type\":\"\"}]", 7 },
        { "[{\"type\":5}]", 7 },
        { "[{\"type\":\"../rec\"}]", 7 },
        { "[{\"type\":\"/usr/lib/cni/loopback\"}]", 7 },
        { "[{\"type\":\"rec\",\"name\":5}]", 7 },
        { "[{\"type\":\"rec\"},{\"type\":\"rec\"}]", 7 },
        { "[{\"type\":\"rec\"},{\"type\":\"rec\",\"args\":\"net1\"}]", 7 },
        { "[{\"type\":\"rec\"},{\"type\":\"rec\",\"args\":{\"ifName\":5}}]", 7 },
        { "[{\"type\":\"rec\"},{\"type\":\"rec\",\"args\":{\"ifName\":\"sixteen-chars-xx\"}}]", 7 },
        { "[{\"type\":\"rec\"},{\"type\":\"rec\",\"args\":{\"ifName\":\"a/b\"}}]", 7 },
        { "[{\"type\":\"rec\"},{\"type\":\"rec\",\"args\":{\"ifName\":\"\"}}]", 7 },
        { "[{\"type\":\"rec\"},{\"type\":\"rec\",\"args\":{\"ifName\":\"eth0\"}}]", 7 },
        { "[{\"type\":\"rec\"},{\"type\":\"rec\",\"args\":{\"ifName\":\"net1\"}},{\"type\":\"rec\",\"args\":{\"ifName\":\"net1\"}}]", 7 },
        { "[{\"type\":\"rec\"},{\"type\":\"loopback\"},{\"type\":\"rec\",\"args\":{\"ifName\":\"net1\"}},{\"type\":\"rec\"}]", 7 },
        { "[{\"type\":\"rec\",\"cniVersion\":\"0.5.0\"}]", 1 },
        { "[{\"type\":\"rec\"},{\"type\":\"rec\",\"cniVersion\":\"2.0.0\",\"args\":{\"ifName\":\"net1\"}}]", 1 },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public async Task AddRejectsAnInvalidArrayBeforeRunningAnything(string value, int code)
    {
        await h.PutArrayAsync(value);

        var run = await h.RunAsync("ADD");

        run.AssertError(code);
        Assert.Empty(h.Delegates.Calls());
        Assert.Empty(h.StateFiles());
    }

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public async Task DelWithoutStateSucceedsWhateverTheStoreHolds(string value, int code)
    {
        _ = code;
        await h.PutArrayAsync(value);

        (await h.RunAsync("DEL")).AssertEmptySuccess();

        Assert.Empty(h.Delegates.Calls());
    }

    [Fact]
    public async Task MissingKeyIsCode100()
    {
        var error = (await h.RunAsync("ADD")).AssertError(100);
        Assert.Contains(h.Key, (string)error["msg"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DelOfMissingKeyWithoutStateSucceeds()
    {
        (await h.RunAsync("DEL")).AssertEmptySuccess();
    }

    [Fact]
    public async Task CheckWithoutStateIsCode3()
    {
        await h.PutArrayAsync("""[{"type":"rec"}]""");
        (await h.RunAsync("CHECK")).AssertError(3);
        Assert.Empty(h.Delegates.Calls());
    }

    [Fact]
    public async Task UnreachableStoreIsCode11ForAddAndFineForDel()
    {
        var conf = h.Conf();
        conf["uri"] = $"127.0.0.1:{FreePort.Closed()}";
        conf["storeConfig"] = new JsonObject { ["connectionTimeout"] = 1 };

        (await h.RunAsync("ADD", conf)).AssertError(11);
        (await h.RunAsync("DEL", conf)).AssertEmptySuccess();
        Assert.Empty(h.Delegates.Calls());
    }

    [Fact]
    public async Task MissingDelegatePluginIsCode102()
    {
        await h.PutArrayAsync("""[{"type":"rec"},{"type":"no-such-plugin","args":{"ifName":"net1"}}]""");

        var error = (await h.RunAsync("ADD")).AssertError(102);

        Assert.Contains("no-such-plugin", (string)error["msg"]!, StringComparison.Ordinal);
        Assert.Equal(["ADD rec eth0", "DEL rec eth0"], h.Delegates.Calls().Select(c => c.ToString()));
        Assert.Empty(h.StateFiles());
    }

    [Fact]
    public async Task DelegateExitingWithoutCniErrorIsCode104WithWhatItPrinted()
    {
        await h.PutArrayAsync("""[{"type":"rec-crash"}]""");

        var error = (await h.RunAsync("ADD")).AssertError(104);

        Assert.Contains("panic: something broke", (string)error["details"]!, StringComparison.Ordinal);
        Assert.Empty(h.StateFiles());
    }

    [Fact]
    public async Task SecondAddOfTheSameAttachmentIsCode106()
    {
        await h.PutArrayAsync("""[{"type":"rec"}]""");
        (await h.RunAsync("ADD")).AssertSuccess();

        (await h.RunAsync("ADD")).AssertError(106);

        Assert.Single(h.Delegates.Calls());
    }

    public void Dispose() => h.Dispose();
}
