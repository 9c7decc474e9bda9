using System.Text.Json.Nodes;
using ContivKsr.Cni.LibKv.Tests.Support;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>
/// A DEL that can never succeed keeps a pod Terminating for good (runtimes retry DEL forever). With
/// its state file damaged or unreadable, libkv sets the file aside and deletes what the store's
/// array describes; with no array either, it succeeds. The seed's array with the real plugins, on a
/// sandboxed node.
/// </summary>
[Collection(LibKvCollection.Name)]
public sealed class DelNeverWedgesTests(StoresFixture stores) : IDisposable
{
    private readonly NodeSandbox node = new();

    public static TheoryData<string> Damages => new() { "truncated", "empty", "not a state", "a directory" };

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task DamagedStateFallsBackToTheStoredArray(string damage)
    {
        var stateFile = await AddAsync();
        Damage(stateFile, damage);

        var del = await RunAsync("DEL");

        del.AssertEmptySuccess();
        node.AssertNothingLeft();
        AssertSetAside(stateFile);
        var log = File.ReadAllText(LogFile);
        Assert.Contains("damaged", log, StringComparison.Ordinal);
        // The seed's two bridge elements share the ipMasq chain of network "mynet": veth200's DEL can
        // only remove it once eth0's is gone.
        Assert.Contains("retrying it now that the other elements are gone", log, StringComparison.Ordinal);
        Assert.DoesNotContain(log.Split('\n'), line => line.Contains(" error ", StringComparison.Ordinal) && line.Contains("DEL delegate", StringComparison.Ordinal));
        (await RunAsync("DEL")).AssertEmptySuccess();
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task DamagedStateAndNoStoredArraySucceedsAndKeepsTheFileForAHuman(string damage)
    {
        var stateFile = await AddAsync();
        Damage(stateFile, damage);
        await stores.Etcd.DeleteAsync(Key);

        var del = await RunAsync("DEL");

        del.AssertEmptySuccess();
        AssertSetAside(stateFile);
        var log = File.ReadAllText(LogFile);
        Assert.Contains("damaged", log, StringComparison.Ordinal);
        // The path as libkv sees it on the node.
        var seenByLibKv = "/var/lib/cni/" + Path.GetRelativePath(node.VarLibCni, stateFile);
        Assert.Contains($"moved to {seenByLibKv}.damaged-", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DamagedStateOfAGoPluginContainerUsesItsScratchFile()
    {
        var stateFile = await AddAsync();
        Damage(stateFile, "truncated");
        await stores.Etcd.DeleteAsync(Key);
        var goDir = Path.Combine(node.VarRunCni, "libkv");
        Directory.CreateDirectory(goDir);
        File.WriteAllText(Path.Combine(goDir, node.ContainerId), SeedArray().ToJsonString());

        (await RunAsync("DEL")).AssertEmptySuccess();

        node.AssertNothingLeft();
        Assert.Empty(Directory.GetFiles(goDir));
    }

    private string Key => "cni/" + node.ContainerId;

    private string LogFile => Path.Combine(node.VarLibCni, "libkv.log");

    /// <summary>The seed's array in 1.0.0 (a conf with a cniVersion hands it to every element).</summary>
    private static JsonArray SeedArray() => JsonNode.Parse(SeedFiles.Array)!.AsArray();

    private JsonObject Conf()
    {
        var conf = JsonNode.Parse(SeedFiles.ConfPointingAt(stores.Etcd.Uri))!.AsObject();
        conf["cniVersion"] = "1.0.0";
        conf["logFile"] = "/var/lib/cni/libkv.log";
        conf["logLevel"] = "info";
        return conf;
    }

    private Task<CniRun> RunAsync(string command) =>
        node.RunAsync(LibKvBinary.Path, [], node.CniEnvironment(command, "/usr/lib/cni"), Conf().ToJsonString());

    /// <returns>The state file the ADD left, as the test process sees it.</returns>
    private async Task<string> AddAsync()
    {
        node.Reach(stores.Etcd.Uri);
        await stores.Etcd.PutAsync(Key, SeedArray().ToJsonString());
        (await RunAsync("ADD")).AssertSuccess();
        Assert.Equal(2, node.Leases().Length);
        return Assert.Single(node.LibKvStateFiles());
    }

    private static void Damage(string stateFile, string damage)
    {
        switch (damage)
        {
            case "truncated":
                File.WriteAllText(stateFile, File.ReadAllText(stateFile)[..40]);
                break;
            case "empty":
                File.WriteAllText(stateFile, "");
                break;
            case "not a state":
                File.WriteAllText(stateFile, """{"network":["x"],"delegates":7}""");
                break;
            case "a directory":
                File.Delete(stateFile);
                Directory.CreateDirectory(stateFile);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(damage));
        }
    }

    private static void AssertSetAside(string stateFile)
    {
        Assert.False(Path.Exists(stateFile), "the damaged state should be moved aside");
        Assert.Single(Directory.GetFileSystemEntries(Path.GetDirectoryName(stateFile)!, Path.GetFileName(stateFile) + ".damaged-*"));
    }

    public void Dispose() => node.Dispose();
}
