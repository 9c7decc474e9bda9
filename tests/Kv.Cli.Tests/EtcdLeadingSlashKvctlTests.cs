using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Cli.Tests;

/// <summary>--etcd-leading-slash: kvctl reads and writes '/KEY' in etcd, as Go clients do, while taking and printing KEY.</summary>
[Collection("kvctl-etcd")]
public sealed class EtcdLeadingSlashKvctlTests(EtcdKvctlFixture fixture)
{
    [Fact]
    public async Task WritesAndListsTheSlashedKeysOnly()
    {
        var root = $"kvctl-slash-tests/{Guid.NewGuid():N}";
        await fixture.Store.PutAsync($"{root}/plain", "written without the slash"u8.ToArray());

        var put = await KvctlProcess.RunAsync(fixture.Args("--etcd-leading-slash", "put", $"{root}/slashed", "v"));
        var slashedLs = await KvctlProcess.RunAsync(fixture.Args("--etcd-leading-slash", "ls", root));
        var plainLs = await KvctlProcess.RunAsync(fixture.Args("ls", root));

        Assert.Equal(0, put.ExitCode);
        Assert.Equal([$"/{root}/slashed"], await Etcdctl.KeysAsync(fixture.Server.Endpoint, $"/{root}/"));
        Assert.Equal($"{root}/slashed\n", slashedLs.StdoutText);
        Assert.Equal($"{root}/plain\n", plainLs.StdoutText);
    }
}
