using ContivKsr.Kv;

namespace ContivKsr.TestSupport;

/// <summary>
/// A real etcd (Debian's etcd-server) on free loopback ports with a throw-away data dir.
/// Tests share one per collection (xunit collection fixture), never one per test.
/// It can be stopped and started again on the same ports and data, to test outages.
/// </summary>
public sealed class EtcdServer : IKvTestServer
{
    private readonly TempDirectory dataDirectory = new("etcd-test-");
    private ServerProcess? process;

    private EtcdServer(bool enableV2)
    {
        ClientPort = FreePort.Next();
        PeerPort = FreePort.Next();
        EnablesV2 = enableV2;
    }

    /// <summary>Started with --enable-v2: it also serves etcd's v2 keys API (/v2/keys) on the client port.</summary>
    public bool EnablesV2 { get; }

    public int ClientPort { get; }

    public int PeerPort { get; }

    /// <summary>"127.0.0.1:port", as a KvStoreConfig endpoint or a CNI config uri.</summary>
    public string Endpoint => $"127.0.0.1:{ClientPort}";

    public string ServerOutput => process?.Output ?? "";

    /// <param name="enableV2">Serve etcd's v2 keys API too (--enable-v2), as etcd 3.4 and 3.5 can.</param>
    public static async Task<EtcdServer> StartAsync(bool enableV2 = false)
    {
        var server = new EtcdServer(enableV2);
        await server.StartAgainAsync();
        return server;
    }

    public KvStoreConfig Config(TimeSpan? connectionTimeout = null) => new()
    {
        Backend = KvBackend.Etcd,
        Endpoints = [Endpoint],
        ConnectionTimeout = connectionTimeout ?? TimeSpan.FromSeconds(5),
    };

    /// <summary>Starts (or restarts after <see cref="Stop"/>) the server with the same ports and data.</summary>
    public async Task StartAgainAsync()
    {
        var binary = File.Exists("/usr/bin/etcd") ? "/usr/bin/etcd" : "etcd";
        process = ServerProcess.Start(binary,
        [
            "--name", "test",
            "--data-dir", System.IO.Path.Combine(dataDirectory.Path, "data"),
            "--listen-client-urls", $"http://127.0.0.1:{ClientPort}",
            "--advertise-client-urls", $"http://127.0.0.1:{ClientPort}",
            "--listen-peer-urls", $"http://127.0.0.1:{PeerPort}",
            "--initial-advertise-peer-urls", $"http://127.0.0.1:{PeerPort}",
            "--initial-cluster", $"test=http://127.0.0.1:{PeerPort}",
            "--log-level", "warn",
            "--logger", "zap",
            .. EnablesV2 ? ["--enable-v2"] : Array.Empty<string>(),
        ],
        // Debian's etcd 3.4 refuses to start on some architectures without this; harmless elsewhere.
        new Dictionary<string, string> { ["ETCD_UNSUPPORTED_ARCH"] = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant() });
        await process.WaitForPortAsync(ClientPort, TimeSpan.FromSeconds(30));
    }

    /// <summary>Kills the server (its data stays) to test an unreachable store.</summary>
    public void Stop() => process?.Kill();

    public ValueTask DisposeAsync()
    {
        process?.Dispose();
        dataDirectory.Dispose();
        return ValueTask.CompletedTask;
    }
}
