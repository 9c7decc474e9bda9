using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Cli.Tests;

/// <summary>A server for kvctl's tests of one backend, with kvctl's arguments to reach it.</summary>
public abstract class KvctlFixture<TServer> : KvServerFixture<TServer>, IKvctlBackendFixture
    where TServer : class, IKvTestServer
{
    public string[] Args(params string[] args) => BackendName is null
        ? ["--uri", Server.Endpoint, "--timeout", "5", .. args]
        : ["--backend", BackendName, "--uri", Server.Endpoint, "--timeout", "5", .. args];

    /// <summary>kvctl's <c>--backend</c> for this server; null to rely on kvctl's default (etcd).</summary>
    protected abstract string? BackendName { get; }

    protected override TimeSpan? StoreConnectionTimeout => TimeSpan.FromSeconds(10);
}
