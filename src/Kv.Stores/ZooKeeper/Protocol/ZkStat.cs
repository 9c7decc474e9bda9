namespace ContivKsr.Kv.Stores.ZooKeeper.Protocol;

/// <summary>A znode's metadata (jute org.apache.zookeeper.data.Stat).</summary>
internal sealed record ZkStat(
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
    /// <summary>ZooKeeper marks container nodes with this owner (EphemeralType.CONTAINER).</summary>
    private const long ContainerOwner = long.MinValue;

    /// <summary>An ephemeral node owned by a session (not a container or TTL node).</summary>
    public bool IsEphemeral => EphemeralOwner > 0;

    /// <summary>
    /// A TTL node: ZooKeeper 3.6+ encodes extended types with 0xFF in the owner's top byte and the
    /// TTL in the low 40 bits.
    /// </summary>
    public bool IsTtl => EphemeralOwner != ContainerOwner && (ulong)EphemeralOwner >> 56 == 0xFF;

    public static ZkStat Read(JuteReader reader) => new(
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
