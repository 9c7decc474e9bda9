using ContivKsr.Kv.Stores.ZooKeeper.Protocol;

namespace ContivKsr.Kv.Stores.ZooKeeper;

/// <summary>A reply: its header and the body bytes that follow it (empty when Err is not Ok).</summary>
internal sealed record ZkReply(ZkReplyHeader Header, ReadOnlyMemory<byte> Body)
{
    public JuteReader BodyReader() => new(Body);
}
