using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>
/// A real etcd serving clients over TLS only and requiring a client certificate signed by the
/// test CA (--client-cert-auth), as a secured production etcd does; the v2 API too (--enable-v2).
/// </summary>
public sealed class EtcdTlsFixture : IAsyncLifetime
{
    private readonly TempDirectory dataDirectory = new("etcd-tls-data-");
    private ServerProcess? process;

    internal TestCertificates Certificates { get; } = TestCertificates.Create();

    public int ClientPort { get; } = FreePort.Next();

    public string Endpoint => $"127.0.0.1:{ClientPort}";

    public KvStoreConfig Config(KvTlsConfig? tls) => new()
    {
        Backend = KvBackend.Etcd,
        Endpoints = [Endpoint],
        ConnectionTimeout = TimeSpan.FromSeconds(3),
        Tls = tls,
    };

    public KvTlsConfig FullTls => new()
    {
        CaFile = Certificates.CaFile,
        CertFile = Certificates.ClientCertFile,
        KeyFile = Certificates.ClientKeyFile,
    };

    /// <summary>etcdctl v2's options for the full TLS set-up.</summary>
    public string[] EtcdctlV2Tls =>
        ["--ca-file", Certificates.CaFile, "--cert-file", Certificates.ClientCertFile, "--key-file", Certificates.ClientKeyFile];

    public async Task InitializeAsync()
    {
        var peerPort = FreePort.Next();
        process = ServerProcess.Start("/usr/bin/etcd",
        [
            "--name", "tls",
            "--data-dir", Path.Combine(dataDirectory.Path, "data"),
            "--listen-client-urls", $"https://{Endpoint}",
            "--advertise-client-urls", $"https://{Endpoint}",
            "--listen-peer-urls", $"http://127.0.0.1:{peerPort}",
            "--initial-advertise-peer-urls", $"http://127.0.0.1:{peerPort}",
            "--initial-cluster", $"tls=http://127.0.0.1:{peerPort}",
            "--cert-file", Certificates.ServerCertFile,
            "--key-file", Certificates.ServerKeyFile,
            "--trusted-ca-file", Certificates.CaFile,
            "--client-cert-auth",
            "--enable-v2",
            "--log-level", "warn",
            "--logger", "zap",
        ]);
        await process.WaitForPortAsync(ClientPort, TimeSpan.FromSeconds(30));
    }

    public Task DisposeAsync()
    {
        process?.Dispose();
        dataDirectory.Dispose();
        Certificates.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition("etcd-tls")]
public sealed class EtcdTlsCollection : ICollectionFixture<EtcdTlsFixture>;
