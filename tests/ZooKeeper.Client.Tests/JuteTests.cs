using ContivKsr.ZooKeeper.Client.Protocol;

namespace ContivKsr.ZooKeeper.Client.Tests;

/// <summary>The jute encoding, checked byte for byte against the layout ZooKeeper's BinaryOutputArchive writes.</summary>
public sealed class JuteTests
{
    [Fact]
    public void PrimitivesAreBigEndianAndLengthPrefixed()
    {
        var writer = new JuteWriter();
        writer.WriteInt(0x01020304);
        writer.WriteLong(-2);
        writer.WriteBool(true);
        writer.WriteString("zk/é");
        writer.WriteString(null);
        writer.WriteBuffer([0xAA, 0xBB]);
        writer.WriteStrings(["a", "bc"]);

        byte[] expected =
        [
            1, 2, 3, 4,
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
            1,
            0, 0, 0, 5, (byte)'z', (byte)'k', (byte)'/', 0xC3, 0xA9,
            0xFF, 0xFF, 0xFF, 0xFF,
            0, 0, 0, 2, 0xAA, 0xBB,
            0, 0, 0, 2, 0, 0, 0, 1, (byte)'a', 0, 0, 0, 2, (byte)'b', (byte)'c',
        ];
        Assert.Equal(expected, writer.WrittenMemory.ToArray());

        var reader = new JuteReader(writer.WrittenMemory);
        Assert.Equal(0x01020304, reader.ReadInt());
        Assert.Equal(-2, reader.ReadLong());
        Assert.True(reader.ReadBool());
        Assert.Equal("zk/é", reader.ReadString());
        Assert.Null(reader.ReadString());
        Assert.Equal([0xAA, 0xBB], reader.ReadBuffer());
        Assert.Equal(["a", "bc"], reader.ReadStrings());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void ConnectRequestHasTheHandshakeLayout()
    {
        var writer = new JuteWriter();
        new ZkConnectRequest(LastZxidSeen: 7, TimeoutMs: 10_000, SessionId: 0x1122, Password: new byte[16], ReadOnly: false).Write(writer);

        var reader = new JuteReader(writer.WrittenMemory);
        Assert.Equal(0, reader.ReadInt()); // protocol version
        Assert.Equal(7, reader.ReadLong());
        Assert.Equal(10_000, reader.ReadInt());
        Assert.Equal(0x1122, reader.ReadLong());
        Assert.Equal(new byte[16], reader.ReadBuffer());
        Assert.False(reader.ReadBool());
        Assert.Equal(0, reader.Remaining);
        Assert.Equal(4 + 8 + 4 + 8 + 4 + 16 + 1, writer.Length);
    }

    [Fact]
    public void ConnectResponseWithoutReadOnlyFlagIsAccepted()
    {
        var writer = new JuteWriter();
        writer.WriteInt(0);
        writer.WriteInt(4000);
        writer.WriteLong(99);
        writer.WriteBuffer([1, 2, 3]);

        var response = ZkConnectResponse.Read(new JuteReader(writer.WrittenMemory));

        Assert.Equal((0, 4000, 99L, false), (response.ProtocolVersion, response.TimeoutMs, response.SessionId, response.ReadOnly));
        Assert.Equal([1, 2, 3], response.Password);
    }

    [Fact]
    public void MultiRequestFramesEachOpAndEndsWithDone()
    {
        var writer = new JuteWriter();
        new ZkMultiRequest([new ZkDeleteRequest("/a", 3), new ZkCheckVersionRequest("/b", 1)]).Write(writer);

        var reader = new JuteReader(writer.WrittenMemory);
        Assert.Equal((ZkOpCode.Delete, false, -1), (reader.ReadInt(), reader.ReadBool(), reader.ReadInt()));
        Assert.Equal(("/a", 3), (reader.ReadString(), reader.ReadInt()));
        Assert.Equal((ZkOpCode.Check, false, -1), (reader.ReadInt(), reader.ReadBool(), reader.ReadInt()));
        Assert.Equal(("/b", 1), (reader.ReadString(), reader.ReadInt()));
        Assert.Equal((-1, true, -1), (reader.ReadInt(), reader.ReadBool(), reader.ReadInt()));
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void FailedMultiReportsTheFailingOpsCode()
    {
        // A failed transaction: op 0 rolled back (RuntimeInconsistency), op 1 the cause (NoNode).
        var writer = new JuteWriter();
        foreach (var code in new[] { ZkErrorCode.RuntimeInconsistency, ZkErrorCode.NoNode })
        {
            writer.WriteInt(ZkOpCode.Error);
            writer.WriteBool(false);
            writer.WriteInt((int)code);
            writer.WriteInt((int)code);
        }

        writer.WriteInt(-1);
        writer.WriteBool(true);
        writer.WriteInt(-1);

        var results = ZkMultiResponse.Read(new JuteReader(writer.WrittenMemory));

        Assert.Equal(2, results.Count);
        Assert.Equal((ZkErrorCode.NoNode, 1), ZkMultiResponse.FirstFailure(results));
    }

    [Fact]
    public void TruncatedRecordIsAProtocolError()
    {
        var reader = new JuteReader(new byte[] { 0, 0, 0, 9, 1, 2 });

        Assert.Throws<ZkProtocolException>(() => reader.ReadBuffer());
        Assert.Throws<ZkProtocolException>(() => new JuteReader(new byte[] { 1, 2 }).ReadLong());
    }
}
