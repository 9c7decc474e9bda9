using System.Text;
using ContivKsr.Kv.EtcdGateway;
using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>
/// What libkv's readers take from an etcd 3.4 with --enable-v2: "etcd" reads the v3 key and, only
/// when it is missing, the v2 key of the same path; "etcdv3" never reads v2; "etcdv2" reads only v2.
/// Values are written with <c>ETCDCTL_API=2 etcdctl set</c> and with the v2 HTTP API.
/// </summary>
[Collection("etcd-v2")]
public sealed class EtcdV2ReaderTests(EtcdV2Fixture fixture)
{
    private const string Array = """[{"type":"bridge","name":"mynet"},{"type":"loopback"}]""";
    private readonly string root = "v2-reader/" + Guid.NewGuid().ToString("N");

    [Theory]
    [InlineData(KvBackend.Etcd)]
    [InlineData(KvBackend.EtcdV2)]
    public async Task ReadsAValueThatEtcdctlSetIntoV2(string backend)
    {
        await Etcdctl.V2SetAsync(fixture.Endpoint, $"{root}/testcontainer", Array);
        var written = await V2IndexAsync($"{root}/testcontainer");
        using var reader = fixture.Reader(backend);

        var pair = reader.Get($"/{root}//testcontainer/");

        Assert.Equal($"{root}/testcontainer", pair.Key);
        Assert.Equal(Array, pair.ValueAsString());
        Assert.Equal(written, pair.LastIndex);
    }

    [Theory]
    [InlineData(KvBackend.Etcd)]
    [InlineData(KvBackend.EtcdV2)]
    public async Task ReadsAValueWrittenWithTheV2HttpApiByteForByte(string backend)
    {
        // Form encoding, JSON escapes and non-ASCII text must all come back exactly.
        const string value = "[{\"type\":\"x\",\"note\":\"a+b & c=d %20 \\\"q\\\" ü 日本\"}]\n";
        using var http = new EtcdV2Http(fixture.Endpoint);
        await http.SetAsync($"{root}/with space/and%percent", value);
        using var reader = fixture.Reader(backend);

        Assert.Equal(Encoding.UTF8.GetBytes(value), reader.Get($"{root}/with space/and%percent").Value);
    }

    [Fact]
    public async Task TheV3ValueIsPreferredOverTheV2One()
    {
        var key = $"{root}/both";
        await fixture.Store.PutAsync(key, "from v3"u8.ToArray());
        await Etcdctl.V2SetAsync(fixture.Endpoint, key, "from v2");

        Assert.Equal("from v3", Read(KvBackend.Etcd, key));
        Assert.Equal("from v3", Read(KvBackend.EtcdV3, key));
        Assert.Equal("from v2", Read(KvBackend.EtcdV2, key));
    }

    [Fact]
    public async Task EtcdV3IgnoresV2Keys()
    {
        await Etcdctl.V2SetAsync(fixture.Endpoint, $"{root}/v2-only", Array);
        using var reader = fixture.Reader(KvBackend.EtcdV3);

        Assert.Throws<KvKeyNotFoundException>(() => reader.Get($"{root}/v2-only"));
    }

    [Theory]
    [InlineData(KvBackend.Etcd)]
    [InlineData(KvBackend.EtcdV3)]
    [InlineData(KvBackend.EtcdV2)]
    public async Task MissingEverywhereIsKeyNotFound(string backend)
    {
        // Siblings and a longer key in both keyspaces must not be taken for the key.
        await fixture.Store.PutAsync($"{root}/missingX", "v3 sibling"u8.ToArray());
        await Etcdctl.V2SetAsync(fixture.Endpoint, $"{root}/missing/below", "v2 child");
        await Etcdctl.V2SetAsync(fixture.Endpoint, $"{root}/missingY", "v2 sibling");
        using var reader = fixture.Reader(backend);

        var error = Assert.ThrowsAny<KvException>(() => reader.Get($"{root}/missingZ"));

        var notFound = Assert.IsType<KvKeyNotFoundException>(error);
        Assert.Equal($"{root}/missingZ", notFound.Key);
    }

    [Theory]
    [InlineData(KvBackend.Etcd)]
    [InlineData(KvBackend.EtcdV2)]
    public async Task AV2DirectoryAtTheKeyIsAClearError(string backend)
    {
        await Etcdctl.V2MkdirAsync(fixture.Endpoint, $"{root}/dir");
        await Etcdctl.V2SetAsync(fixture.Endpoint, $"{root}/tree/child", "value below");
        using var reader = fixture.Reader(backend);

        foreach (var key in new[] { $"{root}/dir", $"{root}/tree" })
        {
            var error = Assert.ThrowsAny<KvException>(() => reader.Get(key));
            Assert.IsNotType<KvKeyNotFoundException>(error);
            Assert.Contains($"directory at '/{key}'", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AKeyWithADotSegmentHasNoV2Name()
    {
        await Etcdctl.V2SetAsync(fixture.Endpoint, $"{root}/x", "the cleaned path's value");
        using var etcd = fixture.Reader(KvBackend.Etcd);
        using var etcdV2 = fixture.Reader(KvBackend.EtcdV2);

        Assert.Throws<KvKeyNotFoundException>(() => etcd.Get($"{root}/./x"));
        Assert.Contains("'.' and '..'", Assert.ThrowsAny<KvException>(() => etcdV2.Get($"{root}/y/../x")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AV3HitMakesNoV2RequestAndAMissExactlyOne()
    {
        await fixture.Store.PutAsync($"{root}/v3", "v3 value"u8.ToArray());
        await Etcdctl.V2SetAsync(fixture.Endpoint, $"{root}/v2", "v2 value");
        await using var counting = new TcpForwarder("127.0.0.1", fixture.Server.ClientPort);
        var config = fixture.ConfigFor(KvBackend.Etcd) with { Endpoints = [counting.Endpoint] };

        // The readers keep no connection, so each request is one accepted connection.
        using (var reader = EtcdReaders.Open(config))
        {
            Assert.Equal("v3 value", reader.Get($"{root}/v3").ValueAsString());
        }

        var afterHit = counting.Accepted;
        using (var reader = EtcdReaders.Open(config))
        {
            Assert.Equal("v2 value", reader.Get($"{root}/v2").ValueAsString());
        }

        Assert.Equal(1, afterHit);
        Assert.Equal(3, counting.Accepted);
    }

    [Fact]
    public async Task CredentialsForV2WorkWhenV3AuthenticationIsOff()
    {
        // A Go libkv config may carry v2 credentials; etcd without v3 auth answers the v3 login
        // with "authentication is not enabled", which must not stop the read.
        await Etcdctl.V2SetAsync(fixture.Endpoint, $"{root}/creds", Array);
        using var reader = EtcdReaders.Open(fixture.ConfigFor(KvBackend.Etcd) with { Username = "someone", Password = "anything" });

        Assert.Equal(Array, reader.Get($"{root}/creds").ValueAsString());
    }

    [Fact]
    public async Task ReadsFailOverToTheNextEndpoint()
    {
        await Etcdctl.V2SetAsync(fixture.Endpoint, $"{root}/failover", "reached");
        var config = fixture.ConfigFor(KvBackend.EtcdV2) with { Endpoints = [$"127.0.0.1:{FreePort.Closed()}", fixture.Endpoint] };
        using var reader = EtcdReaders.Open(config);

        Assert.Equal("reached", reader.Get($"{root}/failover").ValueAsString());
    }

    [Fact]
    public void AnUnreachableServerIsNotReachable()
    {
        var config = fixture.ConfigFor(KvBackend.EtcdV2) with { Endpoints = [$"127.0.0.1:{FreePort.Closed()}"], ConnectionTimeout = TimeSpan.FromSeconds(1) };
        using var reader = EtcdReaders.Open(config);

        Assert.Throws<KvNotReachableException>(() => reader.Get("any"));
    }

    private string Read(string backend, string key)
    {
        using var reader = fixture.Reader(backend);
        return reader.Get(key).ValueAsString();
    }

    private async Task<long> V2IndexAsync(string key)
    {
        using var http = new EtcdV2Http(fixture.Endpoint);
        using var answer = System.Text.Json.JsonDocument.Parse(await http.GetJsonAsync(key));
        return answer.RootElement.GetProperty("node").GetProperty("modifiedIndex").GetInt64();
    }
}
