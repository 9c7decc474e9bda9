using System.Text.Json.Nodes;
using ContivKsr.Cni.LibKv.Tests.Support;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>
/// ADD, CHECK and DEL of the seed's array with the real reference plugins in a namespace, in every
/// cniVersion, and with elements in other versions than libkv's own. Debian's plugins (1.1.1) speak
/// 0.1.0 to 1.0.0, so libkv at 1.1.0 runs them at 1.0.0.
/// </summary>
[Collection(LibKvCollection.Name)]
public sealed class ReferencePluginVersionTests(StoresFixture stores)
{
    /// <summary>Every version the plugins speak, and "none" for a config without cniVersion (0.1.0).</summary>
    public static TheoryData<string> Versions => new("none", "0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0");

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task AddCheckDelWithElementsInLibkvsVersion(string version)
    {
        using var scenario = new BridgeScenario(stores.Etcd);
        var libkvVersion = version == "none" ? null : version;
        var conf = scenario.Conf(libkvVersion);
        await scenario.PutArrayAsync(scenario.SeedArray(cniVersion: null));

        var result = (await scenario.RunAsync("ADD", conf)).AssertSuccess();

        AssertMainResult(scenario, result, libkvVersion ?? "0.1.0");
        scenario.AssertSetUp();
        var check = await scenario.RunAsync("CHECK", conf);
        if (version is "0.4.0" or "1.0.0")
        {
            check.AssertEmptySuccess();
        }
        else
        {
            check.AssertError(1);
        }

        (await scenario.RunAsync("DEL", conf)).AssertEmptySuccess();
        scenario.AssertNothingLeft();
    }

    [Fact]
    public async Task Libkv110RunsElementsAt100()
    {
        using var scenario = new BridgeScenario(stores.Etcd);
        var conf = scenario.Conf("1.1.0");
        await scenario.PutArrayAsync(scenario.SeedArray("1.0.0"));

        var result = (await scenario.RunAsync("ADD", conf)).AssertSuccess();

        AssertMainResult(scenario, result, "1.1.0");
        scenario.AssertSetUp();
        (await scenario.RunAsync("CHECK", conf)).AssertEmptySuccess();
        (await scenario.RunAsync("STATUS", conf)).AssertEmptySuccess();
        (await scenario.RunAsync("DEL", conf)).AssertEmptySuccess();
        scenario.AssertNothingLeft();
    }

    /// <summary>
    /// libkv at 1.0.0 with its main element at 0.2.0: the bridge's ip4 result comes back as 1.0.0
    /// (no interfaces: 0.2.0 has none), CHECK skips the 0.2.0 element with a log line and checks the
    /// rest, DEL gives the 0.2.0 element no prevResult and the others theirs.
    /// </summary>
    [Fact]
    public async Task Libkv100WithA020MainElement()
    {
        using var scenario = new BridgeScenario(stores.Etcd);
        var log = Path.Combine(scenario.Harness.StateDir, "libkv.log");
        var conf = scenario.Conf("1.0.0");
        conf["logFile"] = log;
        conf["logLevel"] = "info";
        var array = scenario.SeedArray("1.0.0");
        array[0]!["cniVersion"] = "0.2.0";
        await scenario.PutArrayAsync(array);

        var result = (await scenario.RunAsync("ADD", conf)).AssertSuccess();

        Assert.Equal(
            $$"""{"cniVersion":"1.0.0","ips":[{"address":"{{scenario.AddressesInside()["eth0"]}}","gateway":"{{scenario.SubnetPrefix}}1"}],"routes":[{"dst":"0.0.0.0/0"}]}""",
            result.ToJsonString());
        scenario.AssertSetUp();
        (await scenario.RunAsync("CHECK", conf)).AssertEmptySuccess();
        Assert.Contains(File.ReadAllLines(log), l => l.Contains("CHECK skips delegate 'bridge' (eth0): its cniVersion 0.2.0 has no CHECK", StringComparison.Ordinal));
        (await scenario.RunAsync("DEL", conf)).AssertEmptySuccess();
        scenario.AssertNothingLeft();
    }

    /// <summary>libkv at 0.2.0 with 1.0.0 elements: the bridge's 1.0.0 result is printed in the ip4 shape.</summary>
    [Fact]
    public async Task Libkv020With100Elements()
    {
        using var scenario = new BridgeScenario(stores.Etcd);
        var conf = scenario.Conf("0.2.0");
        await scenario.PutArrayAsync(scenario.SeedArray("1.0.0"));

        var result = (await scenario.RunAsync("ADD", conf)).AssertSuccess();

        Assert.Equal(
            $$$"""{"cniVersion":"0.2.0","ip4":{"ip":"{{{scenario.AddressesInside()["eth0"]}}}","gateway":"{{{scenario.SubnetPrefix}}}1","routes":[{"dst":"0.0.0.0/0"}]}}""",
            result.ToJsonString());
        scenario.AssertSetUp();
        (await scenario.RunAsync("CHECK", conf)).AssertError(1);
        (await scenario.RunAsync("DEL", conf)).AssertEmptySuccess();
        scenario.AssertNothingLeft();
    }

    /// <summary>The bridge's result for eth0, in <paramref name="version"/>'s shape.</summary>
    internal static void AssertMainResult(BridgeScenario scenario, JsonObject result, string version)
    {
        Assert.Equal(version, (string)result["cniVersion"]!);
        var address = scenario.AddressesInside()["eth0"];
        var gateway = scenario.SubnetPrefix + "1";
        if (version is "0.1.0" or "0.2.0")
        {
            Assert.Equal(
                $$"""{"ip":"{{address}}","gateway":"{{gateway}}","routes":[{"dst":"0.0.0.0/0"}]}""",
                result["ip4"]!.ToJsonString());
            Assert.Null(result["ips"]);
            Assert.Null(result["interfaces"]);
            return;
        }

        // The bridge, the host end of the veth and eth0 in the namespace; the address is eth0's.
        var interfaces = result["interfaces"]!.AsArray();
        var ip = result["ips"]!.AsArray().Single()!;
        Assert.Equal(version is "0.3.0" or "0.3.1" or "0.4.0" ? "4" : null, (string?)ip["version"]);
        Assert.Equal(address, (string)ip["address"]!);
        Assert.Equal(gateway, (string)ip["gateway"]!);
        var eth0 = interfaces[(int)ip["interface"]!]!;
        Assert.Equal("eth0", (string)eth0["name"]!);
        Assert.Equal(scenario.Namespace.Path, (string)eth0["sandbox"]!);
        Assert.Equal(scenario.Bridge, (string)interfaces[0]!["name"]!);
        Assert.Null(result["ip4"]);
    }
}
