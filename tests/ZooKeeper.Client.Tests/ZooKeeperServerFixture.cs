using ContivKsr.TestSupport;

namespace ContivKsr.ZooKeeper.Client.Tests;

/// <summary>One real ZooKeeper 3.8 server for every client test of this assembly.</summary>
public sealed class ZooKeeperServerFixture : KvServerFixture<ZooKeeperServer>
{
    private static readonly TimeSpan ConnectionTimeout = TimeSpan.FromSeconds(5);

    /// <summary>A new client of the server, below <paramref name="chroot"/> ("/a/b") when given.</summary>
    public ZkClient Connect(string chroot = "", string? username = null, string? password = null) =>
        new(ZkConnectString.Parse([Server.Endpoint + chroot]), TimeSpan.FromSeconds(10), ConnectionTimeout, username, password, tls: null);

    protected override Task<ZooKeeperServer> StartServerAsync() => ZooKeeperServer.StartAsync();
}

[CollectionDefinition("zookeeper-server")]
public sealed class ZooKeeperServerCollection : ICollectionFixture<ZooKeeperServerFixture>;
