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
        await using var reader = new EtcdGatewayReader(Config());

        var pair = await reader.GetAsync($"/{root}//bin/");

        Assert.Equal($"{root}/bin", pair.Key);
        Assert.Equal(value, pair.Value);
        Assert.Equal(written.LastIndex, pair.LastIndex);
    }

    [Fact]
    public async Task MissingKeyIsKeyNotFound()
    {
        await stores.Etcd.Store.PutAsync($"{root}/sibling-x", Encoding.UTF8.GetBytes("x"));
        await using var reader = new EtcdGatewayReader(Config());

        await Assert.ThrowsAsync<KvKeyNotFoundException>(() => reader.GetAsync($"{root}/sibling"));
    }

    [Fact]
    public async Task UnreachableFailsWithinTheTimeout()
    {
        var config = Config() with { Endpoints = [$"127.0.0.1:{FreePort.Closed()}"], ConnectionTimeout = TimeSpan.FromSeconds(1) };
        await using var reader = new EtcdGatewayReader(config);
        var started = DateTime.UtcNow;

        await Assert.ThrowsAsync<KvNotReachableException>(() => reader.GetAsync("any"));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task FailsOverToTheNextEndpoint()
    {
        await stores.Etcd.Store.PutAsync($"{root}/k", Encoding.UTF8.GetBytes("v"));
        var config = Config() with { Endpoints = [$"127.0.0.1:{FreePort.Closed()}", stores.Etcd.Uri] };
        await using var reader = new EtcdGatewayReader(config);

        Assert.Equal("v", (await reader.GetAsync($"{root}/k")).ValueAsString());
    }

    private KvStoreConfig Config() => new()
    {
        Backend = KvBackend.Etcd,
        Endpoints = [stores.Etcd.Uri],
        ConnectionTimeout = TimeSpan.FromSeconds(5),
    };
}
