using System.Text.Json.Nodes;
using ContivKsr.TestSupport;

namespace ContivKsr.Cni.LibKv.Tests.Support;

/// <summary>
/// A throw-away node for runs that must use the seed's files verbatim, whose bridge (cni2), subnet
/// (10.23.0.0/16), host-local leases and libkv state have fixed names and places. Every plugin run
/// goes through <see cref="RunAsync"/>: inside a network namespace of its own that plays the host
/// (the bridge, its veths and the NAT rules live there), and in a mount namespace where
/// /var/lib/cni and /var/run/cni are this sandbox's temp dirs. The real host sees none of it, and
/// tests running side by side do not see each other. Test servers are reached from the node through
/// <see cref="Reach"/>. Disposing removes both namespaces (and with
/// the node's, everything the plugins made there) and the temp dirs.
/// </summary>
public sealed class NodeSandbox : IDisposable
{
    // Bind the private dirs, then enter the node's network namespace, then run the command.
    private const string EnterScript = """
        set -e
        mount --bind "$1" /var/lib/cni
        mount --bind "$2" /var/run/cni
        node=$3
        shift 3
        exec ip netns exec "$node" "$@"
        """;

    private readonly TempDirectory varLibCni = new("libkv-node-lib-");
    private readonly TempDirectory varRunCni = new("libkv-node-run-");
    private readonly List<TcpForwarder> forwarders = [];

    public NodeSandbox()
    {
        // The mount points the private dirs are bound over; creating them changes nothing else on the host.
        Directory.CreateDirectory("/var/lib/cni");
        Directory.CreateDirectory("/var/run/cni");
        Node = new NetworkNamespace();
        Container = new NetworkNamespace();
        Node.Exec("ip", "link", "set", "lo", "up");
        ContainerId = "seed" + Guid.NewGuid().ToString("N")[..10];
    }

    /// <summary>Plays the host: where the bridge plugin makes its bridge and NAT rules.</summary>
    public NetworkNamespace Node { get; }

    /// <summary>The container's network namespace (CNI_NETNS).</summary>
    public NetworkNamespace Container { get; }

    public string ContainerId { get; }

    /// <summary>What the plugins see as /var/lib/cni (host-local's networks/, libkv's state in libkv/).</summary>
    public string VarLibCni => varLibCni.Path;

    /// <summary>What the plugins see as /var/run/cni (the Go libkv's scratch files in libkv/).</summary>
    public string VarRunCni => varRunCni.Path;

    /// <summary>Makes a test server at 127.0.0.1:port reachable at that same address from the node.</summary>
    public void Reach(string endpoint) =>
        forwarders.Add(TcpForwarder.IntoNetworkNamespace(Node.Path, int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Runs <paramref name="program"/> on the sandboxed node with exactly <paramref name="environment"/>.</summary>
    public Task<CniRun> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string? stdin = null) =>
        CniRun.ExecAsync("/usr/bin/unshare", environment, stdin, arguments:
            ["--mount", "--propagation", "private", "/bin/sh", "-c", EnterScript, "node-sandbox", VarLibCni, VarRunCni, Node.Name, program, .. arguments]);

    /// <summary>The CNI environment a runtime would give a plugin for this sandbox's container.</summary>
    public Dictionary<string, string?> CniEnvironment(string command, string cniPath, string ifName = "eth0") => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = ContainerId,
        ["CNI_NETNS"] = Container.Path,
        ["CNI_IFNAME"] = ifName,
        ["CNI_PATH"] = cniPath,
    };

    /// <summary>Interface name → its IPv4 addresses (address/prefix) inside the container.</summary>
    public Dictionary<string, string[]> ContainerAddresses() =>
        JsonNode.Parse(Container.Exec("ip", "-j", "-4", "addr", "show"))!.AsArray().ToDictionary(
            link => (string)link!["ifname"]!,
            link => link!["addr_info"]!.AsArray().Select(a => $"{(string)a!["local"]!}/{(int)a["prefixlen"]!}").ToArray());

    public string[] ContainerLinks() =>
        JsonNode.Parse(Container.Exec("ip", "-j", "link", "show"))!.AsArray().Select(l => (string)l!["ifname"]!).ToArray();

    public bool ContainerLoopbackIsUp() =>
        JsonNode.Parse(Container.Exec("ip", "-j", "link", "show", "lo"))!.AsArray()[0]!["flags"]!.AsArray().Any(f => (string?)f == "UP");

    /// <summary>Links on the node other than lo and the bridges: the host ends of veth pairs.</summary>
    public string[] NodeVeths() =>
        JsonNode.Parse(Node.Exec("ip", "-j", "link", "show", "type", "veth"))!.AsArray().Select(l => (string)l!["ifname"]!).ToArray();

    /// <summary>The node's NAT rules that name this container (the bridge plugin's ipMasq rules carry its ID).</summary>
    public string[] NodeNatRules() =>
        Node.Exec("iptables", "-t", "nat", "-S").Split('\n').Where(l => l.Contains(ContainerId, StringComparison.Ordinal)).ToArray();

    /// <summary>host-local lease files (one per address) of every network.</summary>
    public string[] Leases()
    {
        var networks = Path.Combine(VarLibCni, "networks");
        return Directory.Exists(networks)
            ? Directory.GetFiles(networks, "*", SearchOption.AllDirectories).Where(f => System.Net.IPAddress.TryParse(Path.GetFileName(f), out _)).ToArray()
            : [];
    }

    /// <summary>Files of libkv's state dir (its default, /var/lib/cni/libkv, as the plugins see it).</summary>
    public string[] LibKvStateFiles()
    {
        var state = Path.Combine(VarLibCni, "libkv");
        return Directory.Exists(state) ? Directory.GetFiles(state, "*", SearchOption.AllDirectories) : [];
    }

    public void AssertNothingLeft()
    {
        Assert.Equal(["lo"], ContainerLinks());
        Assert.Empty(NodeVeths());
        Assert.Empty(NodeNatRules());
        Assert.Empty(Leases());
    }

    public void Dispose()
    {
        foreach (var forwarder in forwarders)
        {
            forwarder.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        Container.Dispose();
        Node.Dispose();
        varLibCni.Dispose();
        varRunCni.Dispose();
    }
}
