using System.Text;
using ContivKsr.Kv.Etcd.Core;
using ContivKsr.Kv.EtcdGateway;
using ContivKsr.Kv.Stores;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>
/// <see cref="EtcdOptions.LeadingSlash"/> as etcd itself sees it: '/a/b' and 'a/b' are two
/// different etcd keys, so a store with the option and one without live side by side and never
/// see or remove each other's keys, while callers of both pass and get normalised keys.
/// </summary>
[Collection("etcd")]
public sealed class EtcdLeadingSlashTests(EtcdFixture fixture)
{
    private IKvStore Plain => fixture.Store;

    private IKvStore Slashed => fixture.LeadingSlash.Store;

    [Fact]
    public async Task StoresTheKeyWithALeadingSlashAndReturnsItNormalised()
    {
        var root = Root();
        await Slashed.PutAsync($"{root}/a/b", Bytes("slashed"));

        using var admin = new EtcdAdmin(fixture.Server.Endpoint);
        Assert.Equal([$"/{root}/a/b"], await admin.RawKeysAsync($"/{root}/"));
        Assert.Empty(await admin.RawKeysAsync($"{root}/"));
        Assert.Equal($"{root}/a/b", (await Slashed.GetAsync($"/{root}/a/b/")).Key);
        await Assert.ThrowsAsync<KvKeyNotFoundException>(() => Plain.GetAsync($"{root}/a/b"));
    }

    [Fact]
    public async Task TheGatewayReaderHonoursTheOptionToo()
    {
        var root = Root();
        await Slashed.PutAsync($"{root}/netconf", Bytes("slashed"));
        await Plain.PutAsync($"{root}/netconf", Bytes("plain"));

        using var slashedReader = new EtcdGatewayReader(fixture.Config with { BackendOptions = new EtcdOptions { LeadingSlash = true } });
        using var plainReader = new EtcdGatewayReader(fixture.Config);

        var pair = slashedReader.Get($"/{root}/netconf");
        Assert.Equal($"{root}/netconf", pair.Key);
        Assert.Equal("slashed", pair.ValueAsString());
        Assert.Equal("plain", plainReader.Get($"{root}/netconf").ValueAsString());
    }

    [Fact]
    public async Task ReadsKeysAGoClientWroteWithTheSlash()
    {
        var root = Root();
        using var admin = new EtcdAdmin(fixture.Server.Endpoint);
        await admin.PutRawAsync($"/{root}/k8s/namespace/default", "from go");

        var listed = await Slashed.ListAsync(root);

        var pair = Assert.Single(listed);
        Assert.Equal($"{root}/k8s/namespace/default", pair.Key);
        Assert.Equal("from go", pair.ValueAsString());
        Assert.Empty(await Plain.ListAsync(root));
    }

    [Fact]
    public async Task ListAndDeleteTreeOfTheSlashedStoreNeverTouchPlainKeys()
    {
        var root = Root();
        await Plain.PutAsync($"{root}/x", Bytes("plain"));
        await Slashed.PutAsync($"{root}/x", Bytes("slashed"));
        await Slashed.PutAsync($"{root}/y", Bytes("slashed"));

        Assert.Equal(["slashed", "slashed"], (await Slashed.ListAsync(root)).Select(p => p.ValueAsString()));
        await Slashed.DeleteTreeAsync(root);

        Assert.Empty(await Slashed.ListAsync(root));
        Assert.Equal("plain", (await Plain.GetAsync($"{root}/x")).ValueAsString());
    }

    [Fact]
    public async Task ListAndDeleteTreeOfThePlainStoreNeverTouchSlashedKeys()
    {
        var root = Root();
        await Slashed.PutAsync($"{root}/x", Bytes("slashed"));
        await Plain.PutAsync($"{root}/x", Bytes("plain"));
        await Plain.PutAsync($"{root}/y", Bytes("plain"));

        Assert.Equal(["plain", "plain"], (await Plain.ListAsync(root)).Select(p => p.ValueAsString()));
        await Plain.DeleteTreeAsync(root);

        Assert.Empty(await Plain.ListAsync(root));
        Assert.Equal("slashed", (await Slashed.GetAsync($"{root}/x")).ValueAsString());
    }

    [Fact]
    public async Task BatchesAndTreeWatchesUseTheSlashedKeys()
    {
        var root = Root();
        await using var snapshots = Slashed.WatchTreeAsync(root).GetAsyncEnumerator();
        Assert.True(await snapshots.MoveNextAsync());
        Assert.Empty(snapshots.Current);

        await Slashed.WriteBatchAsync([KvOperation.Put($"{root}/p", Bytes("batched"))]);

        Assert.True(await snapshots.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal([$"{root}/p"], snapshots.Current.Select(p => p.Key));
        using var admin = new EtcdAdmin(fixture.Server.Endpoint);
        Assert.Equal([$"/{root}/p"], await admin.RawKeysAsync($"/{root}/"));
    }

    private static string Root([System.Runtime.CompilerServices.CallerMemberName] string caseName = "") => $"etcd-slash-tests/{caseName}-{Guid.NewGuid():N}";

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
