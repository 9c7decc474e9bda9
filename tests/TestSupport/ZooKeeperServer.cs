using System.Net.Sockets;
using System.Text;
using ContivKsr.Kv;

namespace ContivKsr.TestSupport;

/// <summary>
/// A real ZooKeeper 3.8 (Debian's zookeeper package, on Java) in standalone mode on a free loopback
/// port with a throw-away data dir. Tests share one per collection (xunit collection fixture).
/// It can be stopped and started again on the same port and data (sessions survive a restart
/// shorter than their timeout), to test outages and reconnection.
/// </summary>
public sealed class ZooKeeperServer : IKvTestServer
{
    private const string ZooKeeperJar = "/usr/share/java/zookeeper.jar";

    private readonly TempDirectory directory = new("zookeeper-test-");
    private readonly ZooKeeperServerOptions options;
    private ServerProcess? process;

    private ZooKeeperServer(ZooKeeperServerOptions options)
    {
        this.options = options;
        ClientPort = FreePort.Next();
        if (options.Tls)
        {
            SecurePort = FreePort.Next();
            Certificates = TestCertificates.Create(directory.Path);
        }
    }

    public int ClientPort { get; }

    /// <summary>The TLS port (secureClientPort) when started with <see cref="ZooKeeperServerOptions.Tls"/>, else 0.</summary>
    public int SecurePort { get; }

    /// <summary>The CA, server and client certificates when started with TLS (the server requires a client certificate).</summary>
    public TestCertificates? Certificates { get; }

    /// <summary>"127.0.0.1:port", as a KvStoreConfig endpoint or a CNI config uri.</summary>
    public string Endpoint => $"127.0.0.1:{ClientPort}";

    /// <summary>"127.0.0.1:securePort" when started with TLS.</summary>
    public string SecureEndpoint => $"127.0.0.1:{SecurePort}";

    public string ServerOutput => process?.Output ?? "";

    /// <summary>Whether the machine has what the server needs (java and the Debian jars).</summary>
    public static bool IsInstalled => File.Exists(ZooKeeperJar) && FindJava() is not null;

    public static async Task<ZooKeeperServer> StartAsync(ZooKeeperServerOptions? options = null)
    {
        var server = new ZooKeeperServer(options ?? new ZooKeeperServerOptions());
        try
        {
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public KvStoreConfig Config(TimeSpan? connectionTimeout = null) => new()
    {
        Backend = KvBackend.ZooKeeper,
        Endpoints = [Endpoint],
        ConnectionTimeout = connectionTimeout ?? TimeSpan.FromSeconds(5),
    };

    /// <summary>Starts (or restarts after <see cref="Stop"/>) the server with the same port and data.</summary>
    public async Task StartAgainAsync()
    {
        var java = FindJava() ?? throw new InvalidOperationException("java not found; install the zookeeper package (scripts/install-deps.sh)");
        if (!File.Exists(ZooKeeperJar))
        {
            throw new InvalidOperationException($"{ZooKeeperJar} not found; install the zookeeper package (scripts/install-deps.sh)");
        }

        var config = Path.Combine(directory.Path, "zoo.cfg");
        var lines = new List<string>
        {
            "tickTime=500",
            $"dataDir={Path.Combine(directory.Path, "data")}",
            $"clientPort={ClientPort}",
            "clientPortAddress=127.0.0.1",
            "admin.enableServer=false",
            "4lw.commands.whitelist=*",
            "minSessionTimeout=1000",
            "maxSessionTimeout=60000",
        };
        var classPath = $"{ZooKeeperJar}:/usr/share/java/slf4j-simple.jar";
        if (Certificates is { } pki)
        {
            // ZooKeeper reads PEM key and trust stores; the key store file holds the key then the certificate.
            var keyStore = Path.Combine(directory.Path, "server-keystore.pem");
            File.WriteAllText(keyStore, File.ReadAllText(pki.ServerKeyFile) + File.ReadAllText(pki.ServerCertFile));
            lines.AddRange(
            [
                $"secureClientPort={SecurePort}",
                "secureClientPortAddress=127.0.0.1",
                "serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory",
                $"ssl.keyStore.location={keyStore}",
                "ssl.keyStore.type=PEM",
                $"ssl.trustStore.location={pki.CaFile}",
                "ssl.trustStore.type=PEM",
                "ssl.clientAuth=need",
            ]);

            // The Netty server needs these besides what zookeeper.jar's manifest lists.
            classPath += ":/usr/share/java/netty-codec.jar:/usr/share/java/netty-resolver.jar:/usr/share/java/netty-transport-native-unix-common.jar";
        }

        File.WriteAllLines(config, lines);

        process = ServerProcess.Start(java,
        [
            // TTL nodes (how the backend stores TTL keys) need the extended types.
            $"-Dzookeeper.extendedTypesEnabled={(options.ExtendedTypes ? "true" : "false")}",
            // Expired TTL nodes are removed by a periodic check (default every 60 s); check often
            // so that a 2 s TTL ends within about its TTL, as an operator would configure it.
            "-Dznode.container.checkIntervalMs=250",
            "-Dzookeeper.jmx.log4j.disable=true",
            "-Xmx256m",
            "-cp", classPath,
            "org.apache.zookeeper.server.ZooKeeperServerMain",
            config,
        ],
        new Dictionary<string, string> { ["JAVA_TOOL_OPTIONS"] = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn" });
        await WaitUntilServingAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Kills the server (its data stays) to test an unreachable store.</summary>
    public void Stop() => process?.Kill();

    /// <summary>Sends a four-letter-word command (ruok, srvr, cons, wchc...) and returns the answer.</summary>
    /// <exception cref="OperationCanceledException">No complete answer within 5 s (a server still starting may accept and stall).</exception>
    public async Task<string> FourLetterWordAsync(string command)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", ClientPort, deadline.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command), deadline.Token);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync(deadline.Token);
    }

    public ValueTask DisposeAsync()
    {
        process?.Dispose();
        directory.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits until the server answers "imok" to ruok (it accepts TCP before it serves).</summary>
    private async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        var current = process ?? throw new InvalidOperationException("not started");
        await current.WaitForPortAsync(ClientPort, timeout);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await FourLetterWordAsync("srvr")).Contains("Mode: standalone", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception error) when (error is SocketException or IOException or OperationCanceledException)
            {
            }

            if (current.HasExited)
            {
                throw new InvalidOperationException($"ZooKeeper exited:\n{current.Output}");
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"ZooKeeper did not serve on port {ClientPort} within {timeout}:\n{current.Output}");
    }

    private static string? FindJava()
    {
        var home = Environment.GetEnvironmentVariable("JAVA_HOME");
        var candidates = new[] { home is null ? null : Path.Combine(home, "bin", "java"), "/usr/bin/java" };
        return candidates.FirstOrDefault(c => c is not null && File.Exists(c));
    }
}

/// <summary>How a test ZooKeeper differs from the default one.</summary>
/// <param name="ExtendedTypes">zookeeper.extendedTypesEnabled (TTL nodes); on by default, as the backend's docs ask of operators.</param>
/// <param name="Tls">Also serve TLS on a secureClientPort, requiring client certificates.</param>
public sealed record ZooKeeperServerOptions(bool ExtendedTypes = true, bool Tls = false);
