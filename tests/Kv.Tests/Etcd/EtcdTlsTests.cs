using ContivKsr.Kv.Stores;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>The store against a real etcd that demands TLS with client certificates.</summary>
[Collection("etcd-tls")]
public sealed class EtcdTlsTests(EtcdTlsFixture fixture)
{
    [Fact]
    public async Task CaAndClientCertificateReachTheServer()
    {
        await using var store = KvStores.Open(fixture.Config(fixture.FullTls));
        var key = $"tls/{Guid.NewGuid():N}";

        await store.PutAsync(key, "secure"u8.ToArray());

        Assert.Equal("secure", (await store.GetAsync(key)).ValueAsString());
        await using var events = store.WatchAsync(key).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());
    }

    [Fact]
    public async Task HttpsSchemeInTheEndpointAlsoSelectsTls()
    {
        await using var store = KvStores.Open(fixture.Config(fixture.FullTls) with { Endpoints = [$"https://{fixture.Endpoint}"] });

        Assert.False(await store.ExistsAsync($"tls/{Guid.NewGuid():N}"));
    }

    [Fact]
    public async Task AServerSignedByAnotherCaIsRefused()
    {
        await using var store = KvStores.Open(fixture.Config(fixture.FullTls with { CaFile = fixture.Certificates.OtherCaFile }));

        // Not "unreachable": retrying cannot help, the operator must fix the CA.
        var error = await Assert.ThrowsAsync<KvException>(() => store.GetAsync("tls/any"));
        Assert.Contains("certificate", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.IsType<Grpc.Core.RpcException>(error.InnerException);
    }

    [Fact]
    public async Task WithoutAClientCertificateTheServerRefuses()
    {
        await using var store = KvStores.Open(fixture.Config(new KvTlsConfig { CaFile = fixture.Certificates.CaFile }));

        await Assert.ThrowsAsync<KvNotReachableException>(() => store.GetAsync("tls/any"));
    }

    [Fact]
    public async Task InsecureSkipVerifyAcceptsAnUnknownServer()
    {
        await using var store = KvStores.Open(fixture.Config(fixture.FullTls with { CaFile = null, InsecureSkipVerify = true }));

        Assert.False(await store.ExistsAsync($"tls/{Guid.NewGuid():N}"));
    }

    [Fact]
    public async Task PlaintextAgainstATlsServerIsNotReachable()
    {
        await using var store = KvStores.Open(fixture.Config(tls: null));

        await Assert.ThrowsAsync<KvNotReachableException>(() => store.GetAsync("tls/any"));
    }
}
