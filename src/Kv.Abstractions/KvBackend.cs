namespace ContivKsr.Kv;

/// <summary>The canonical backend names and their accepted aliases.</summary>
public static class KvBackend
{
    public const string Etcd = "etcd";
    public const string Consul = "consul";
    public const string ZooKeeper = "zookeeper";

    public static IReadOnlyList<string> All { get; } = [Etcd, Consul, ZooKeeper];

    /// <summary>Maps a user-given name (case-insensitive; "zk" and "etcdv3" are aliases) to its canonical name.</summary>
    /// <exception cref="KvInvalidConfigException">The name is not a known backend.</exception>
    public static string Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "etcd" or "etcdv3" => Etcd,
        "consul" => Consul,
        "zookeeper" or "zk" => ZooKeeper,
        null or "" => throw new KvInvalidConfigException("no store backend given; expected one of etcd, consul, zookeeper"),
        _ => throw new KvInvalidConfigException($"unknown store backend '{name}'; expected one of etcd, consul, zookeeper (or zk)"),
    };
}
