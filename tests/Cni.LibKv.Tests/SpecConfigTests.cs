using System.Text.Json.Nodes;
using ContivKsr.Cni.LibKv.Tests.Support;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>libkv's own config fields: anything missing or malformed is code 7, for every verb.</summary>
[Collection(LibKvCollection.Name)]
public sealed class SpecConfigTests(StoresFixture stores) : IDisposable
{
    private readonly LibKvHarness h = new(stores.Etcd);

    public static TheoryData<string, string> Cases()
    {
        var cases = new[]
        {
            "remove name", "name=bad name", "name=5", "remove storeBackend", "storeBackend=redis", "remove uri", "uri=",
            "uri=,", "logLevel=loud", "timeout=-1", "timeout=\"10\"", "stateDir=relative/dir", "storeConfig=\"x\"",
            "storeConfig={\"connectionTimeout\":\"10\"}", "storeConfig={\"tls\":true}", "basePath=5", "identifier=[]",
        };
        var data = new TheoryData<string, string>();
        foreach (var command in new[] { "ADD", "DEL", "CHECK", "GC", "STATUS" })
        {
            foreach (var change in cases)
            {
                data.Add(command, change);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task InvalidConfigIsCode7(string command, string change)
    {
        await h.PutArrayAsync("""[{"type":"rec"}]""");
        var conf = h.Conf(SpecEnvironmentTests.VersionFor(command));
        if (change.StartsWith("remove ", StringComparison.Ordinal))
        {
            conf.Remove(change["remove ".Length..]);
        }
        else
        {
            var (field, value) = (change[..change.IndexOf('=', StringComparison.Ordinal)], change[(change.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            conf[field] = value.Length > 0 && value[0] is '"' or '{' or '[' or '-' || char.IsDigit(value.FirstOrDefault()) || value is "true"
                ? JsonNode.Parse(value)
                : value;
        }

        var run = await h.RunAsync(command, conf);
        run.AssertError(7);
        Assert.Empty(h.Delegates.Calls());
    }

    public void Dispose() => h.Dispose();
}
