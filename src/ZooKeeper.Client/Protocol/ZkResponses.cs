namespace ContivKsr.ZooKeeper.Client.Protocol;

/// <summary>What create2/createTTL/createContainer return: the created path (with a sequence suffix if asked) and its stat.</summary>
public sealed record ZkCreateResponse(string Path, ZkStat Stat)
{
    internal static ZkCreateResponse Read(JuteReader reader) => new(reader.ReadString() ?? "", ZkStat.Read(reader));
}

public sealed record ZkGetDataResponse(byte[] Data, ZkStat Stat)
{
    internal static ZkGetDataResponse Read(JuteReader reader) => new(reader.ReadBuffer(), ZkStat.Read(reader));
}

public sealed record ZkGetChildren2Response(IReadOnlyList<string> Children, ZkStat Stat)
{
    internal static ZkGetChildren2Response Read(JuteReader reader) => new(reader.ReadStrings(), ZkStat.Read(reader));
}
