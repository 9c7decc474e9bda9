namespace ContivKsr.ZooKeeper.Client.Protocol;

/// <summary>A znode's metadata (jute org.apache.zookeeper.data.Stat).</summary>
public sealed record ZkStat(
    long Czxid,
    long Mzxid,
    long Ctime,
    long Mtime,
    int Version,
    int Cversion,
    int Aversion,
    long EphemeralOwner,
    int DataLength,
    int NumChildren,
    long Pzxid)
{
    /// <summary>
    /// An ephemeral node owned by a session. (Container and TTL nodes also have special owners on
    /// the server, but it reports 0 for them to clients.)
    /// </summary>
    public bool IsEphemeral => EphemeralOwner > 0;

    internal static ZkStat Read(JuteReader reader) => new(
        reader.ReadLong(),
        reader.ReadLong(),
        reader.ReadLong(),
        reader.ReadLong(),
        reader.ReadInt(),
        reader.ReadInt(),
        reader.ReadInt(),
        reader.ReadLong(),
        reader.ReadInt(),
        reader.ReadInt(),
        reader.ReadLong());
}
