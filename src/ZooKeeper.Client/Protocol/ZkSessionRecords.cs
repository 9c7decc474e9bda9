namespace ContivKsr.ZooKeeper.Client.Protocol;

/// <summary>The first packet of a connection: opens a new session (SessionId 0) or resumes one.</summary>
internal sealed record ZkConnectRequest(long LastZxidSeen, int TimeoutMs, long SessionId, byte[] Password, bool ReadOnly)
{
    public const int ProtocolVersion = 0;

    public void Write(JuteWriter writer)
    {
        writer.WriteInt(ProtocolVersion);
        writer.WriteLong(LastZxidSeen);
        writer.WriteInt(TimeoutMs);
        writer.WriteLong(SessionId);
        writer.WriteBuffer(Password);

        // Appended after the jute record since 3.4; servers older than that ignore it.
        writer.WriteBool(ReadOnly);
    }
}

/// <summary>The server's answer to <see cref="ZkConnectRequest"/>. A timeout of 0 or less means the session expired.</summary>
internal sealed record ZkConnectResponse(int ProtocolVersion, int TimeoutMs, long SessionId, byte[] Password, bool ReadOnly)
{
    public static ZkConnectResponse Read(JuteReader reader)
    {
        var protocolVersion = reader.ReadInt();
        var timeout = reader.ReadInt();
        var sessionId = reader.ReadLong();
        var password = reader.ReadBuffer();

        // Servers before 3.4 do not send the read-only flag.
        var readOnly = reader.Remaining > 0 && reader.ReadBool();
        return new(protocolVersion, timeout, sessionId, password, readOnly);
    }
}

/// <summary>Precedes every request after the handshake.</summary>
internal readonly record struct ZkRequestHeader(int Xid, int Type)
{
    public void Write(JuteWriter writer)
    {
        writer.WriteInt(Xid);
        writer.WriteInt(Type);
    }
}

/// <summary>Precedes every reply: which request it answers, the zxid the server is at, and the result code.</summary>
internal readonly record struct ZkReplyHeader(int Xid, long Zxid, ZkErrorCode Err)
{
    public static ZkReplyHeader Read(JuteReader reader) => new(reader.ReadInt(), reader.ReadLong(), (ZkErrorCode)reader.ReadInt());
}

/// <summary>Adds credentials to the session (sent with xid -4; scheme "digest" takes "user:password").</summary>
internal sealed record ZkAuthPacket(string Scheme, byte[] Auth)
{
    public void Write(JuteWriter writer)
    {
        writer.WriteInt(0);
        writer.WriteString(Scheme);
        writer.WriteBuffer(Auth);
    }
}

/// <summary>
/// Re-arms watches on a new connection of the same session (SetWatches, or SetWatches2 when
/// persistent watches exist); the server fires those whose node changed after RelativeZxid.
/// </summary>
internal sealed record ZkSetWatches(
    long RelativeZxid,
    IReadOnlyList<string> DataWatches,
    IReadOnlyList<string> ExistWatches,
    IReadOnlyList<string> ChildWatches,
    IReadOnlyList<string> PersistentWatches,
    IReadOnlyList<string> PersistentRecursiveWatches)
{
    public bool HasPersistent => PersistentWatches.Count > 0 || PersistentRecursiveWatches.Count > 0;

    public int OpCode => HasPersistent ? ZkOpCode.SetWatches2 : ZkOpCode.SetWatches;

    public void Write(JuteWriter writer)
    {
        writer.WriteLong(RelativeZxid);
        writer.WriteStrings(DataWatches);
        writer.WriteStrings(ExistWatches);
        writer.WriteStrings(ChildWatches);
        if (HasPersistent)
        {
            writer.WriteStrings(PersistentWatches);
            writer.WriteStrings(PersistentRecursiveWatches);
        }
    }
}
