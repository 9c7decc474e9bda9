using ContivKsr.Kv.Stores;
using ContivKsr.Kv.EtcdGateway;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>
/// libkv's etcd read path (<see cref="EtcdGatewayReader"/>, etcd's JSON gateway over HTTP/1.1) on a
/// TLS-only etcd that requires client certificates: it must read what the gRPC store wrote.
/// </summary>
[Collection("etcd-tls")]
public sealed class EtcdGatewayReaderTlsTests(EtcdTlsFixture fixture)
{
    [Fact]
    public async Task ReadsOverTlsWithAClientCertificate()
    {
        var key = $"gateway-tls/{Guid.NewGuid():N}";
        await using (var store = KvStores.Open(fixture.Config(fixture.FullTls)))
        {
            await store.PutAsync(key, "secret"u8.ToArray());
        }

        using var reader = new EtcdGatewayReader(fixture.Config(fixture.FullTls));

        Assert.Equal("secret", reader.Get(key).ValueAsString());
    }

    [Fact]
    public void AServerFromAnotherCaIsRefused()
    {
        using var reader = new EtcdGatewayReader(fixture.Config(fixture.FullTls with { CaFile = fixture.Certificates.OtherCaFile }));

        Assert.ThrowsAny<KvException>(() => reader.Get("gateway-tls/any"));
    }
}

/// <summary>The gateway read path with etcd authentication: a token per process, refusals as access denied.</summary>
[Collection("etcd-auth")]
public sealed class EtcdGatewayReaderAuthTests(EtcdAuthFixture fixture)
{
    [Fact]
    public async Task RightPasswordReadsOwnKeys()
    {
        var key = $"alice/{Guid.NewGuid():N}";
        await using (var store = KvStores.Open(fixture.Config("alice", EtcdAuthFixture.AlicePassword)))
        {
            await store.PutAsync(key, "mine"u8.ToArray());
        }

        using var reader = new EtcdGatewayReader(fixture.Config("alice", EtcdAuthFixture.AlicePassword));

        Assert.Equal("mine", reader.Get(key).ValueAsString());
    }

    [Theory]
    [InlineData("alice", "wrong", "alice/x")]
    [InlineData(null, null, "alice/x")]
    [InlineData("alice", EtcdAuthFixture.AlicePassword, "bob/x")]
    public void RefusalsAreAccessDenied(string? user, string? password, string key)
    {
        using var reader = new EtcdGatewayReader(fixture.Config(user, password));

        Assert.Throws<KvAccessDeniedException>(() => reader.Get(key));
    }
}
