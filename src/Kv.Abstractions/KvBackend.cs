namespace ContivKsr.Kv;

/// <summary>The canonical backend names and their accepted aliases.</summary>
public static class KvBackend
{
    /// <summary>etcd's v3 keyspace; a reader (libkv) also reads the v2 key when the v3 key is missing.</summary>
    public const string Etcd = "etcd";

    /// <summary>etcd's v3 keyspace only.</summary>
    public const string EtcdV3 = "etcdv3";

    /// <summary>etcd's v2 keys API only (etcd 3.4 and 3.5 started with --enable-v2): get, put, delete, list.</summary>
    public const string EtcdV2 = "etcdv2";

    public const string Consul = "consul";
    public const string ZooKeeper = "zookeeper";

    /// <summary>Maps a user-given name (case-insensitive; "zk" is an alias) to its canonical name.</summary>
    /// <exception cref="KvInvalidConfigException">The name is not a known backend.</exception>
    public static string Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "etcd" => Etcd,
        "etcdv3" => EtcdV3,
        "etcdv2" => EtcdV2,
        "consul" => Consul,
        "zookeeper" or "zk" => ZooKeeper,
        null or "" => throw new KvInvalidConfigException("no store backend given; expected one of etcd, etcdv3, etcdv2, consul, zookeeper"),
        _ => throw new KvInvalidConfigException($"unknown store backend '{name}'; expected one of etcd, etcdv3, etcdv2, consul, zookeeper (or zk)"),
    };

    /// <summary>True for the backends that read etcd's v3 keyspace (<see cref="Etcd"/> and <see cref="EtcdV3"/>).</summary>
    public static bool IsEtcdV3(string backend) => backend is Etcd or EtcdV3;
}
