using System.Text;
using ContivKsr.Cni.LibKv.Tests.Support;
using ContivKsr.Kv;
using ContivKsr.Kv.EtcdGateway;
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
    public void ServerThatNeverAnswersFailsWithinTheTimeout()
    {
        // The kernel completes the TCP handshake for the listen backlog, so the request is sent
        // and no answer ever comes: only the reader's own timeout can end the wait.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var config = Config() with { Endpoints = [$"127.0.0.1:{port}"], ConnectionTimeout = TimeSpan.FromSeconds(1) };
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
