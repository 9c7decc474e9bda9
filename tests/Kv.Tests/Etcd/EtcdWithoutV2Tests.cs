using System.Diagnostics;
using ContivKsr.Kv.EtcdGateway;
using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>
/// An etcd without --enable-v2 (the default of 3.4 and 3.5, and all 3.6 can be) answers /v2/keys
/// with a plain 404: "etcd" then reads as v3 alone, and "etcdv2" says the server has no v2 API.
/// </summary>
[Collection("etcd")]
public sealed class EtcdWithoutV2Tests(EtcdFixture fixture)
{
    private readonly string root = "no-v2/" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task EtcdReadsV3AloneAndAMissIsKeyNotFoundAtOnce()
    {
        await fixture.Store.PutAsync($"{root}/present", "v3 value"u8.ToArray());
        await using var counting = new TcpForwarder("127.0.0.1", fixture.Server.ClientPort);
        var config = fixture.Config with { Backend = KvBackend.Etcd, Endpoints = [counting.Endpoint], ConnectionTimeout = TimeSpan.FromSeconds(10) };
        using var reader = EtcdReaders.Open(config);

        Assert.Equal("v3 value", reader.Get($"{root}/present").ValueAsString());
        var clock = Stopwatch.StartNew();
        Assert.Throws<KvKeyNotFoundException>(() => reader.Get($"{root}/missing"));

        // One v3 request for the hit; one v3 and one v2 request (a plain 404) for the miss, and no
        // wait for any timeout in between.
        Assert.Equal(3, counting.Accepted);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"the miss took {clock.Elapsed}");
    }

    [Fact]
    public void EtcdV2SaysTheServerHasNoV2Api()
    {
        using var reader = EtcdReaders.Open(fixture.Config with { Backend = KvBackend.EtcdV2 });

        var error = Assert.Throws<KvCallNotSupportedException>(() => reader.Get($"{root}/any"));

        Assert.Contains("does not serve the v2 API", error.Message, StringComparison.Ordinal);
        Assert.Contains("--enable-v2", error.Message, StringComparison.Ordinal);
        Assert.Equal("404", error.BackendCode);
    }

    [Fact]
    public async Task TheV2StoreSaysSoOnEveryCall()
    {
        await using var store = KvStores.Open(fixture.Config with { Backend = KvBackend.EtcdV2 });

        await Assert.ThrowsAsync<KvCallNotSupportedException>(() => store.GetAsync($"{root}/any"));
        await Assert.ThrowsAsync<KvCallNotSupportedException>(() => store.PutAsync($"{root}/any", "v"u8.ToArray()));
        await Assert.ThrowsAsync<KvCallNotSupportedException>(() => store.ListAsync(root));
    }
}
