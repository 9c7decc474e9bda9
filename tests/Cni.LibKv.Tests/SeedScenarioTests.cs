using System.Text.Json.Nodes;
using ContivKsr.Cni.LibKv.Tests.Support;
using ContivKsr.TestSupport;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>
/// The seed README's scenario with its own files, verbatim (only the etcd address differs):
/// conf/10-mylibkv.conf (no cniVersion, so 0.1.0) in NETCONFPATH, conf/testcontainer.json (two
/// bridge elements of one network name on cni2, 10.23.0.0/16) in a real etcd, exec-plugins.sh add
/// and del through libkv and the real reference plugins, on a sandboxed node. The array goes in as
/// the seed stores it (<c>etcdctl set</c>: etcd's v2 keys, in an etcd with --enable-v2) and as v3 keys.
/// </summary>
[Collection(LibKvCollection.Name)]
public sealed class SeedScenarioTests(StoresFixture stores) : IDisposable
{
    private readonly NodeSandbox node = new();
    private readonly TempDirectory netConfPath = new("libkv-seed-netd-");
    private readonly TempDirectory bin = new("libkv-seed-bin-");

    [Theory]
    [InlineData("v2")]
    [InlineData("v3")]
    public async Task ExecPluginsAddAndDelWithTheSeedFiles(string keyspace)
    {
        var etcd = keyspace == "v2" ? stores.EtcdWithV2 : stores.Etcd;
        node.Reach(etcd.Uri);
        if (keyspace == "v2")
        {
            await Etcdctl.V2SetAsync(etcd.Uri, "cni/" + node.ContainerId, SeedFiles.Array);
        }
        else
        {
            await etcd.PutAsync("cni/" + node.ContainerId, SeedFiles.Array);
        }

        File.WriteAllText(Path.Combine(netConfPath.Path, "10-mylibkv.conf"), SeedFiles.ConfPointingAt(etcd.Uri));

        var add = await ExecPluginsAsync("add");

        Assert.True(add.ExitCode == 0, $"add failed\nstdout: {add.Stdout}\nstderr: {add.Stderr}");
        var result = JsonNode.Parse(add.Stdout)!.AsObject();
        Assert.Equal("0.1.0", (string)result["cniVersion"]!);
        Assert.StartsWith("10.23.", (string)result["ip4"]!["ip"]!, StringComparison.Ordinal);
        var addresses = node.ContainerAddresses();
        Assert.StartsWith("10.23.", Assert.Single(addresses["eth0"]), StringComparison.Ordinal);
        Assert.StartsWith("10.23.", Assert.Single(addresses["veth200"]), StringComparison.Ordinal);
        Assert.NotEqual(addresses["eth0"], addresses["veth200"]);
        Assert.True(node.ContainerLoopbackIsUp(), "lo is not UP in the container");
        Assert.Equal(2, node.Leases().Length);
        Assert.Equal(2, node.NodeVeths().Length);
        Assert.NotEmpty(node.NodeNatRules());

        var del = await ExecPluginsAsync("del");

        Assert.True(del.ExitCode == 0, $"del failed\nstdout: {del.Stdout}\nstderr: {del.Stderr}");
        node.AssertNothingLeft();
        Assert.Empty(node.LibKvStateFiles());
    }

    private Task<CniRun> ExecPluginsAsync(string verb)
    {
        var link = Path.Combine(bin.Path, "libkv");
        if (!File.Exists(link))
        {
            File.CreateSymbolicLink(link, LibKvBinary.Path);
        }

        return node.RunAsync("/bin/bash", [Path.Combine(RepositoryRoot.Path, "exec-plugins.sh"), verb, node.ContainerId, node.Container.Path],
            new Dictionary<string, string?> { ["NETCONFPATH"] = netConfPath.Path, ["CNI_PATH"] = $"{bin.Path}:/usr/lib/cni" });
    }

    public void Dispose()
    {
        node.Dispose();
        netConfPath.Dispose();
        bin.Dispose();
    }
}
