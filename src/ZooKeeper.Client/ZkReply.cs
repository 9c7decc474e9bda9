using ContivKsr.ZooKeeper.Client.Protocol;

namespace ContivKsr.ZooKeeper.Client;

/// <summary>A reply: its header and the body bytes that follow it (empty when Err is not Ok).</summary>
internal sealed record ZkReply(ZkReplyHeader Header, ReadOnlyMemory<byte> Body)
{
    public JuteReader BodyReader() => new(Body);
}
