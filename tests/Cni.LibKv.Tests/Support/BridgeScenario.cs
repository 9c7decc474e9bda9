using System.Text;
using System.Text.Json.Nodes;
using ContivKsr.TestSupport;

namespace ContivKsr.Cni.LibKv.Tests.Support;

/// <summary>
/// The seed README's NetConf array (bridge + loopback + second bridge interface veth200) made
/// private to one test: its own namespace, a bridge name and /24 nobody else uses, host-local
/// leases in a temp dir. Disposing removes the namespace, the bridge and the temp dirs.
/// </summary>
public sealed class BridgeScenario : IDisposable
{
    private readonly LibKvHarness harness;
    private readonly TempDirectory leases = new("libkv-leases-");

    public BridgeScenario(IStoreUnderTest store)
    {
        harness = new LibKvHarness(store);
        Namespace = new NetworkNamespace();
        harness.Netns = Namespace.Path;
        Bridge = "ckb" + Guid.NewGuid().ToString("N")[..8];
        SubnetPrefix = $"10.199.{Random.Shared.Next(1, 250)}.";
    }

    public NetworkNamespace Namespace { get; }

    public string Bridge { get; }

    /// <summary>"10.199.N." — every address of this scenario starts with it.</summary>
    public string SubnetPrefix { get; }

    public LibKvHarness Harness => harness;

    /// <param name="cniVersion">Each element's cniVersion; null leaves it out, so the elements take libkv's.</param>
    public JsonArray SeedArray(string? cniVersion = "1.0.0")
    {
        // As in conf/testcontainer.json: the two bridge attachments need their own network names
        // (today's bridge plugin names its ipMasq chain after network name + container ID, so a
        // shared name makes the second DEL fail on a chain still in use) and so their own
        // host-local ranges of the one subnet (leases are kept per network name).
        JsonObject BridgeConf(string name, int first, int last) => new()
        {
            ["cniVersion"] = cniVersion,
            ["name"] = name,
            ["type"] = "bridge",
            ["bridge"] = Bridge,
            ["isGateway"] = true,
            ["ipMasq"] = true,
            ["ipam"] = new JsonObject
            {
                ["type"] = "host-local",
                ["subnet"] = SubnetPrefix + "0/24",
                ["rangeStart"] = SubnetPrefix + first,
                ["rangeEnd"] = SubnetPrefix + last,
                ["gateway"] = SubnetPrefix + "1",
                ["dataDir"] = leases.Path,
                ["routes"] = new JsonArray(new JsonObject { ["dst"] = "0.0.0.0/0" }),
            },
        };
        var second = BridgeConf("mynet-veth200-" + Bridge, 128, 254);
        second["args"] = new JsonObject { ["ifName"] = "veth200" };
        var array = new JsonArray(BridgeConf("mynet-" + Bridge, 2, 127), new JsonObject { ["type"] = "loopback", ["cniVersion"] = cniVersion }, second);
        foreach (var element in array)
        {
            if (cniVersion is null)
            {
                element!.AsObject().Remove("cniVersion");
            }
        }

        return array;
    }

    /// <summary>libkv's config in <paramref name="cniVersion"/>; null leaves cniVersion out (0.1.0).</summary>
    public JsonObject Conf(string? cniVersion)
    {
        var conf = harness.Conf(cniVersion ?? "");
        if (cniVersion is null)
        {
            conf.Remove("cniVersion");
        }

        return conf;
    }

    public Task PutSeedArrayAsync() => PutArrayAsync(SeedArray());

    public Task PutArrayAsync(JsonArray array) => harness.PutArrayAsync(array.ToJsonString());

    public Task<CniRun> RunAsync(string command, JsonObject? conf = null) => harness.RunAsync(command, conf);

    /// <summary>Interface name → first IPv4 address/prefix inside the namespace.</summary>
    public Dictionary<string, string> AddressesInside()
    {
        var addresses = new Dictionary<string, string>();
        foreach (var link in JsonNode.Parse(Namespace.Exec("ip", "-j", "-4", "addr", "show"))!.AsArray())
        {
            var info = link!["addr_info"]!.AsArray().FirstOrDefault();
            if (info is not null)
            {
                addresses[(string)link["ifname"]!] = $"{(string)info["local"]!}/{(int)info["prefixlen"]!}";
            }
        }

        return addresses;
    }

    public string[] LinksInside() =>
        JsonNode.Parse(Namespace.Exec("ip", "-j", "link", "show"))!.AsArray().Select(l => (string)l!["ifname"]!).ToArray();

    public bool LoopbackIsUp() =>
        JsonNode.Parse(Namespace.Exec("ip", "-j", "link", "show", "lo"))!.AsArray()[0]!["flags"]!.AsArray().Any(f => (string?)f == "UP");

    /// <summary>host-local's lease files (one per address; its lock and last-reserved files excluded).</summary>
    public string[] Leases() =>
        Directory.GetFiles(leases.Path, "*", SearchOption.AllDirectories)
            .Where(f => System.Net.IPAddress.TryParse(Path.GetFileName(f), out _))
            .ToArray();

    /// <summary>Host ends of veth pairs attached to this scenario's bridge.</summary>
    public string[] HostVeths()
    {
        if (!Shell.TryRun("ip", "link", "show", Bridge))
        {
            return [];
        }

        return JsonNode.Parse(Shell.Run("ip", "-j", "link", "show", "master", Bridge))!.AsArray().Select(l => (string)l!["ifname"]!).ToArray();
    }

    /// <summary>The bridge plugin's ipMasq rules for this container (they carry its ID in a comment).</summary>
    public string[] NatRules() =>
        Shell.Run("iptables", "-t", "nat", "-S").Split('\n').Where(l => l.Contains(harness.ContainerId, StringComparison.Ordinal)).ToArray();

    /// <summary>eth0 and veth200 addressed from the subnet, lo up, a lease and a host veth for each.</summary>
    public void AssertSetUp()
    {
        var inside = AddressesInside();
        Assert.StartsWith(SubnetPrefix, inside["eth0"], StringComparison.Ordinal);
        Assert.StartsWith(SubnetPrefix, inside["veth200"], StringComparison.Ordinal);
        Assert.True(LoopbackIsUp(), "lo is not UP inside the namespace");
        Assert.Equal(2, Leases().Length);
        Assert.Equal(2, HostVeths().Length);
    }

    public void AssertNothingLeft()
    {
        Assert.Equal(["lo"], LinksInside());
        Assert.Empty(Leases());
        Assert.Empty(HostVeths());
        Assert.Empty(NatRules());
        Assert.Empty(harness.StateFiles());
    }

    public void Dispose()
    {
        Namespace.Dispose();
        Shell.TryRun("ip", "link", "delete", Bridge);
        harness.Dispose();
        leases.Dispose();
    }
}
