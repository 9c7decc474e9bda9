using ContivKsr.Kv.EtcdGateway;
using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>The v2 read path over TLS with a client certificate, as the gateway reader has it.</summary>
[Collection("etcd-tls")]
public sealed class EtcdV2TlsTests(EtcdTlsFixture fixture)
{
    [Theory]
    [InlineData(KvBackend.Etcd)]
    [InlineData(KvBackend.EtcdV2)]
    public async Task ReadsAV2ValueOverTls(string backend)
    {
        var key = $"v2-tls/{Guid.NewGuid():N}";
        await Etcdctl.V2SetAsync(fixture.Endpoint, key, "over tls", fixture.EtcdctlV2Tls);

        using var reader = EtcdReaders.Open(fixture.Config(fixture.FullTls) with { Backend = backend });

        Assert.Equal("over tls", reader.Get(key).ValueAsString());
    }

    [Fact]
    public void AServerFromAnotherCaIsRefused()
    {
        using var reader = EtcdReaders.Open(fixture.Config(fixture.FullTls with { CaFile = fixture.Certificates.OtherCaFile }) with { Backend = KvBackend.EtcdV2 });

        var error = Assert.ThrowsAny<KvException>(() => reader.Get("v2-tls/any"));

        Assert.IsNotType<KvKeyNotFoundException>(error);
    }
}

/// <summary>
/// v2 authentication (HTTP basic auth, separate from v3's): the same credentials read a v2 key
/// through "etcdv2" and, after a v3 miss, through "etcd"; refusals are access denied.
/// </summary>
[Collection("etcd-auth")]
public sealed class EtcdV2AuthTests(EtcdAuthFixture fixture)
{
    [Theory]
    [InlineData(KvBackend.Etcd)]
    [InlineData(KvBackend.EtcdV2)]
    public async Task TheRightPasswordReadsOwnV2Keys(string backend)
    {
        var key = $"alice/{Guid.NewGuid():N}";
        await fixture.V2SetAsRootAsync(key, "alice's v2 array");
        using var reader = EtcdReaders.Open(fixture.Config("alice", EtcdAuthFixture.AlicePassword) with { Backend = backend });

        Assert.Equal("alice's v2 array", reader.Get(key).ValueAsString());
    }

    [Theory]
    [InlineData("alice", "wrong", "alice/x")]
    [InlineData(null, null, "alice/x")]
    [InlineData("alice", EtcdAuthFixture.AlicePassword, "bob/x")]
    public void RefusalsAreAccessDenied(string? user, string? password, string key)
    {
        using var reader = EtcdReaders.Open(fixture.Config(user, password) with { Backend = KvBackend.EtcdV2 });

        var error = Assert.Throws<KvAccessDeniedException>(() => reader.Get(key));

        Assert.Equal("110", error.BackendCode);
    }
}
