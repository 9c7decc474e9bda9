using System.Text.Json.Nodes;
using ContivKsr.Cni.LibKv.Tests.Support;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>
/// The seed's scenario with the real reference plugins (bridge, host-local, loopback from
/// /usr/lib/cni) in a namespace the test makes, on every backend: interfaces and addresses inside
/// the namespace after ADD, nothing left after DEL (no veth, no lease, no NAT rule), DEL working
/// with the store stopped, and a failing third delegate leaving no trace of the first two.
/// </summary>
[Collection(LibKvCollection.Name)]
public sealed class ReferencePluginTests(StoresFixture stores)
{
    public static TheoryData<string> Backends => StoresFixture.Backends;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task SeedScenarioSetsUpAndRemovesEverything(string backend)
    {
        using var scenario = new BridgeScenario(stores[backend]);
        await scenario.PutSeedArrayAsync();

        var result = (await scenario.RunAsync("ADD")).AssertSuccess();

        Assert.Equal("1.0.0", (string)result["cniVersion"]!);
        Assert.Contains(result["interfaces"]!.AsArray(), i => (string)i!["name"]! == "eth0" && (string?)i["sandbox"] == scenario.Namespace.Path);
        Assert.StartsWith(scenario.SubnetPrefix, (string)result["ips"]![0]!["address"]!, StringComparison.Ordinal);
        scenario.AssertSetUp();
        Assert.NotEmpty(scenario.NatRules());

        (await scenario.RunAsync("CHECK")).AssertEmptySuccess();
        (await scenario.RunAsync("DEL")).AssertEmptySuccess();

        scenario.AssertNothingLeft();
        (await scenario.RunAsync("DEL")).AssertEmptySuccess();
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task DelWorksWithTheStoreStopped(string backend)
    {
        var store = stores[backend];
        using var scenario = new BridgeScenario(store);
        await scenario.PutSeedArrayAsync();
        (await scenario.RunAsync("ADD")).AssertSuccess();

        store.Stop();
        try
        {
            (await scenario.RunAsync("DEL")).AssertEmptySuccess();
            scenario.AssertNothingLeft();
        }
        finally
        {
            await store.StartAgainAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task FailingThirdDelegateLeavesNoTraceOfTheFirstTwo(string backend)
    {
        using var scenario = new BridgeScenario(stores[backend]);
        var array = scenario.SeedArray();
        // Valid for libkv, refused by the bridge plugin itself when it decodes its config.
        array[2]!["mtu"] = "not-a-number";
        await scenario.PutArrayAsync(array);

        var run = await scenario.RunAsync("ADD");

        // libkv passes the bridge plugin's own error through unchanged.
        var direct = await CniRun.ExecAsync("/usr/lib/cni/bridge", new Dictionary<string, string?>
        {
            ["CNI_COMMAND"] = "ADD",
            ["CNI_CONTAINERID"] = "direct",
            ["CNI_NETNS"] = scenario.Namespace.Path,
            ["CNI_IFNAME"] = "veth200",
            ["CNI_PATH"] = "/usr/lib/cni",
        }, array[2]!.ToJsonString());
        var expected = direct.Json();
        var error = run.AssertError((int)expected["code"]!);
        Assert.Equal((string)expected["msg"]!, (string)error["msg"]!);
        scenario.AssertNothingLeft();
    }
}
