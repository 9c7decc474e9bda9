using System.Text;
using ContivKsr.Cni.LibKv.Tests.Support;
using ContivKsr.Kv;
using ContivKsr.Kv.Stores.Etcd;
using ContivKsr.TestSupport;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>libkv's etcd read path (the JSON gateway) agrees with the full etcd store on what it reads.</summary>
[Collection(LibKvCollection.Name)]
public sealed class EtcdGatewayReaderTests(StoresFixture stores)
{
    private readonly string root = "gateway-test/" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task ReadsWhatTheStoreWrote()
    {
        var value = new byte[] { 0, 1, 2, 255, (byte)'[', (byte)'{' };
        await stores.Etcd.Store.PutAsync($"{root}/bin", value);
        var written = await stores.Etcd.Store.GetAsync($"{root}/bin");
        using var reader = new EtcdGatewayReader(Config());

        var pair = reader.Get($"/{root}//bin/");

        Assert.Equal($"{root}/bin", pair.Key);
        Assert.Equal(value, pair.Value);
        Assert.Equal(written.LastIndex, pair.LastIndex);
    }

    [Fact]
    public async Task MissingKeyIsKeyNotFound()
    {
        await stores.Etcd.Store.PutAsync($"{root}/sibling-x", Encoding.UTF8.GetBytes("x"));
        using var reader = new EtcdGatewayReader(Config());

        Assert.Throws<KvKeyNotFoundException>(() => reader.Get($"{root}/sibling"));
    }

    [Fact]
    public async Task UnreachableFailsWithinTheTimeout()
    {
        var config = Config() with { Endpoints = [$"127.0.0.1:{FreePort.Closed()}"], ConnectionTimeout = TimeSpan.FromSeconds(1) };
        using var reader = new EtcdGatewayReader(config);
        var started = DateTime.UtcNow;

        Assert.Throws<KvNotReachableException>(() => reader.Get("any"));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task FailsOverToTheNextEndpoint()
    {
        await stores.Etcd.Store.PutAsync($"{root}/k", Encoding.UTF8.GetBytes("v"));
        var config = Config() with { Endpoints = [$"127.0.0.1:{FreePort.Closed()}", stores.Etcd.Uri] };
        using var reader = new EtcdGatewayReader(config);

        Assert.Equal("v", reader.Get($"{root}/k").ValueAsString());
    }

    private KvStoreConfig Config() => new()
    {
        Backend = KvBackend.Etcd,
        Endpoints = [stores.Etcd.Uri],
        ConnectionTimeout = TimeSpan.FromSeconds(5),
    };
}
