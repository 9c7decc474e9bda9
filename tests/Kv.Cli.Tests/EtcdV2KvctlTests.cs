using System.Text.Json.Nodes;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Cli.Tests;

/// <summary>A real etcd 3.4 started with --enable-v2, reached with <c>kvctl --backend etcdv2</c>.</summary>
public sealed class EtcdV2KvctlFixture : KvctlFixture<EtcdServer>
{
    public string Endpoint => Server.Endpoint;

    protected override string? BackendName => KvBackend.EtcdV2;

    protected override Task<EtcdServer> StartServerAsync() => EtcdServer.StartAsync(enableV2: true);

    // A fresh etcd elects itself leader before it takes writes; let that happen before any test.
    protected override async Task WhenReadyAsync(IKvStore store) => await store.PutAsync("kvctl-v2-tests/ready", "yes"u8.ToArray());
}

[CollectionDefinition("kvctl-etcd-v2")]
public sealed class EtcdV2KvctlCollection : ICollectionFixture<EtcdV2KvctlFixture>;

/// <summary>
/// <c>kvctl --backend etcdv2 get|put|del|ls</c>, run as a real process: it shows and edits the v2
/// keys that <c>ETCDCTL_API=2 etcdctl set</c> wrote and that libkv reads with storeBackend "etcd".
/// </summary>
[Collection("kvctl-etcd-v2")]
public sealed class EtcdV2KvctlTests(EtcdV2KvctlFixture fixture)
{
    private const string Array = """[{"type":"bridge","bridge":"cni2"},{"type":"loopback"}]""";
    private readonly string root = $"kvctl-v2/{Guid.NewGuid():N}";

    [Fact]
    public async Task GetPrintsWhatEtcdctlSetExactly()
    {
        await Etcdctl.V2SetAsync(fixture.Endpoint, $"{root}/testcontainer", Array);

        var get = await KvctlProcess.RunAsync(fixture.Args("get", $"/{root}/testcontainer"));
        var json = await KvctlProcess.RunAsync(fixture.Args("--json", "get", $"{root}/testcontainer"));

        Assert.Equal(0, get.ExitCode);
        Assert.Equal(Array, get.StdoutText);
        var pair = JsonNode.Parse(json.StdoutText)!;
        Assert.Equal($"{root}/testcontainer", (string)pair["key"]!);
        Assert.Equal(Array, (string)pair["value"]!);
        Assert.True((long)pair["lastIndex"]! > 0);
    }

    [Fact]
    public async Task PutWritesAV2KeyThatEtcdctlReadsAndV3DoesNotHave()
    {
        var put = await KvctlProcess.RunAsync(fixture.Args("put", $"{root}/from-stdin", "-"), System.Text.Encoding.UTF8.GetBytes(Array));
        var ttl = await KvctlProcess.RunAsync(fixture.Args("--ttl", "60", "put", $"{root}/expiring", "soon gone"));

        Assert.Equal(0, put.ExitCode);
        Assert.Equal(0, ttl.ExitCode);
        Assert.Equal(Array, await Etcdctl.V2GetAsync(fixture.Endpoint, $"{root}/from-stdin"));
        Assert.Empty(await Etcdctl.KeysAsync(fixture.Endpoint, root));
        using var http = new EtcdV2Http(fixture.Endpoint);
        Assert.InRange((long)JsonNode.Parse(await http.GetJsonAsync($"{root}/expiring"))!["node"]!["ttl"]!, 1, 60);
    }

    [Fact]
    public async Task DelRemovesAV2KeyAndAMissingOneIsExitOne()
    {
        await Etcdctl.V2SetAsync(fixture.Endpoint, $"{root}/gone", "x");

        var del = await KvctlProcess.RunAsync(fixture.Args("del", $"{root}/gone"));
        var again = await KvctlProcess.RunAsync(fixture.Args("del", $"{root}/gone"));

        Assert.Equal(0, del.ExitCode);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"kvctl: key not found: {root}/gone\n", again.Stderr);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Etcdctl.V2GetAsync(fixture.Endpoint, $"{root}/gone"));
    }

    [Fact]
    public async Task LsListsEveryV2KeyBelowTheDirectory()
    {
        foreach (var key in new[] { "cni/b", "cni/a", "cni/deeper/c", "cniX/other" })
        {
            await Etcdctl.V2SetAsync(fixture.Endpoint, $"{root}/{key}", key);
        }

        var ls = await KvctlProcess.RunAsync(fixture.Args("ls", $"{root}/cni"));

        Assert.Equal(0, ls.ExitCode);
        Assert.Equal($"{root}/cni/a\n{root}/cni/b\n{root}/cni/deeper/c\n", ls.StdoutText);
    }

    [Fact]
    public async Task GetOfAV2DirectorySaysSo()
    {
        await Etcdctl.V2SetAsync(fixture.Endpoint, $"{root}/dir/child", "x");

        var get = await KvctlProcess.RunAsync(fixture.Args("get", $"{root}/dir"));

        Assert.Equal(1, get.ExitCode);
        Assert.Contains($"directory at '/{root}/dir'", get.Stderr, StringComparison.Ordinal);
        Assert.Empty(get.Stdout);
    }
}

/// <summary><c>kvctl --backend etcdv2</c> against an etcd without --enable-v2.</summary>
[Collection("kvctl-etcd")]
public sealed class EtcdV2KvctlWithoutV2Tests(EtcdKvctlFixture fixture)
{
    [Fact]
    public async Task SaysTheServerHasNoV2Api()
    {
        var get = await KvctlProcess.RunAsync(fixture.Args("--backend", "etcdv2", "get", "kvctl-tests/ready"));

        Assert.Equal(1, get.ExitCode);
        Assert.Contains("does not serve the v2 API", get.Stderr, StringComparison.Ordinal);
        Assert.Contains("--enable-v2", get.Stderr, StringComparison.Ordinal);
    }
}
