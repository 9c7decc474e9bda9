namespace ContivKsr.ZooKeeper.Client.Protocol;

/// <summary>What create2/createTTL/createContainer return: the created path (with a sequence suffix if asked) and its stat.</summary>
internal sealed record ZkCreateResponse(string Path, ZkStat Stat)
{
    public static ZkCreateResponse Read(JuteReader reader) => new(reader.ReadString() ?? "", ZkStat.Read(reader));
}

internal sealed record ZkGetDataResponse(byte[] Data, ZkStat Stat)
{
    public static ZkGetDataResponse Read(JuteReader reader) => new(reader.ReadBuffer(), ZkStat.Read(reader));
}

internal sealed record ZkGetChildren2Response(IReadOnlyList<string> Children, ZkStat Stat)
{
    public static ZkGetChildren2Response Read(JuteReader reader) => new(reader.ReadStrings(), ZkStat.Read(reader));
}
