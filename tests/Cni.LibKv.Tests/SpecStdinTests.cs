using ContivKsr.Cni.LibKv.Tests.Support;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>
/// Malformed stdin per verb: undecodable is code 6, an unsupported cniVersion (or one without the
/// verb) code 1; a missing cniVersion is 0.1.0.
/// </summary>
[Collection(LibKvCollection.Name)]
public sealed class SpecStdinTests(StoresFixture stores) : IDisposable
{
    private readonly LibKvHarness h = new(stores.Etcd);

    public static TheoryData<string, string, int> Cases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var command in new[] { "ADD", "DEL", "CHECK", "GC", "STATUS" })
        {
            data.Add(command, "", 6);
            data.Add(command, "not json", 6);
            data.Add(command, "{\"cniVersion\":\"1.0.0\"", 6);
            data.Add(command, "[{\"cniVersion\":\"1.0.0\"}]", 6);
            data.Add(command, "\"1.0.0\"", 6);
            data.Add(command, "{\"cniVersion\":100,\"name\":\"n\"}", 6);
            // Without cniVersion (or with an empty one) is 0.1.0, which has ADD and DEL (the config then lacks its store: 7)
            // but neither CHECK (0.4.0) nor GC and STATUS (1.1.0).
            var below040 = command is "ADD" or "DEL" ? 7 : 1;
            data.Add(command, "{\"name\":\"n\",\"type\":\"libkv\"}", below040);
            data.Add(command, "{\"cniVersion\":\"0.1.0\",\"name\":\"n\"}", below040);
            data.Add(command, "{\"cniVersion\":\"0.2.0\",\"name\":\"n\"}", below040);
            data.Add(command, "{\"cniVersion\":\"0.5.0\",\"name\":\"n\"}", 1);
            data.Add(command, "{\"cniVersion\":\"\",\"name\":\"n\"}", below040);
            data.Add(command, "{\"cniVersion\":\"9.9.9\",\"name\":\"n\"}", 1);
            data.Add(command, "{\"cniVersion\":\"one\",\"name\":\"n\"}", 1);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task MalformedStdinHasItsCode(string command, string stdin, int code)
    {
        var run = await CniRun.ExecAsync(LibKvBinary.Path, h.Env(command), stdin);
        run.AssertError(code);
        Assert.Empty(h.Delegates.Calls());
        Assert.Empty(h.StateFiles());
    }

    public void Dispose() => h.Dispose();
}
