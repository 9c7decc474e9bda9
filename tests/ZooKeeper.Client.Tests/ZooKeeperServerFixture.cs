using ContivKsr.TestSupport;

namespace ContivKsr.ZooKeeper.Client.Tests;

/// <summary>One real ZooKeeper 3.8 server for every client test of this assembly.</summary>
public sealed class ZooKeeperServerFixture : IAsyncLifetime
{
    private static readonly TimeSpan ConnectionTimeout = TimeSpan.FromSeconds(5);
    private ZooKeeperServer? server;

    public ZooKeeperServer Server => server ?? throw new InvalidOperationException("fixture not started");

    /// <summary>A new client of the server, below <paramref name="chroot"/> ("/a/b") when given.</summary>
    public ZkClient Connect(string chroot = "", string? username = null, string? password = null, TimeSpan? sessionTimeout = null) =>
        new(ZkConnectString.Parse([Server.Endpoint + chroot]), sessionTimeout ?? TimeSpan.FromSeconds(10), ConnectionTimeout, username, password, tls: null);

    public async Task InitializeAsync() => server = await ZooKeeperServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

[CollectionDefinition("zookeeper-server")]
public sealed class ZooKeeperServerCollection : ICollectionFixture<ZooKeeperServerFixture>;
