namespace ContivKsr.ZooKeeper.Client.Protocol;

/// <summary>
/// A request body: its opcode and its jute record. Only this library's records implement it; the
/// ones a caller may put in <see cref="ZkClient.MultiAsync"/> are public.
/// </summary>
public interface IZkRequest
{
    int OpCode { get; }

    internal void Write(JuteWriter writer);
}

/// <summary>create2 (returns path and stat), createTTL (needs extendedTypesEnabled on the server) or createContainer.</summary>
public sealed record ZkCreateRequest(string Path, ReadOnlyMemory<byte> Data, IReadOnlyList<ZkAcl> Acl, ZkCreateMode Mode, long TtlMs = 0) : IZkRequest
{
    public int OpCode => Mode switch
    {
        ZkCreateMode.PersistentWithTtl or ZkCreateMode.PersistentSequentialWithTtl => ZkOpCode.CreateTtl,
        ZkCreateMode.Container => ZkOpCode.CreateContainer,
        _ => ZkOpCode.Create2,
    };

    void IZkRequest.Write(JuteWriter writer)
    {
        writer.WriteString(Path);
        writer.WriteBuffer(Data.Span);
        writer.WriteVector(Acl, static (w, acl) => acl.Write(w));
        writer.WriteInt((int)Mode);
        if (OpCode == ZkOpCode.CreateTtl)
        {
            writer.WriteLong(TtlMs);
        }
    }
}

/// <summary>Deletes a node; Version -1 matches any version.</summary>
public sealed record ZkDeleteRequest(string Path, int Version) : IZkRequest
{
    public int OpCode => ZkOpCode.Delete;

    void IZkRequest.Write(JuteWriter writer)
    {
        writer.WriteString(Path);
        writer.WriteInt(Version);
    }
}

internal sealed record ZkExistsRequest(string Path, bool Watch) : IZkRequest
{
    public int OpCode => ZkOpCode.Exists;

    public void Write(JuteWriter writer)
    {
        writer.WriteString(Path);
        writer.WriteBool(Watch);
    }
}

internal sealed record ZkGetDataRequest(string Path, bool Watch) : IZkRequest
{
    public int OpCode => ZkOpCode.GetData;

    public void Write(JuteWriter writer)
    {
        writer.WriteString(Path);
        writer.WriteBool(Watch);
    }
}

/// <summary>Sets a node's data if its version still equals Version (-1: any).</summary>
public sealed record ZkSetDataRequest(string Path, ReadOnlyMemory<byte> Data, int Version) : IZkRequest
{
    public int OpCode => ZkOpCode.SetData;

    void IZkRequest.Write(JuteWriter writer)
    {
        writer.WriteString(Path);
        writer.WriteBuffer(Data.Span);
        writer.WriteInt(Version);
    }
}

internal sealed record ZkGetChildren2Request(string Path, bool Watch) : IZkRequest
{
    public int OpCode => ZkOpCode.GetChildren2;

    public void Write(JuteWriter writer)
    {
        writer.WriteString(Path);
        writer.WriteBool(Watch);
    }
}

/// <summary>In a multi: fails the transaction unless the node's version equals Version.</summary>
public sealed record ZkCheckVersionRequest(string Path, int Version) : IZkRequest
{
    public int OpCode => ZkOpCode.Check;

    void IZkRequest.Write(JuteWriter writer)
    {
        writer.WriteString(Path);
        writer.WriteInt(Version);
    }
}

/// <summary>ZooKeeper 3.6+: a watch that stays after firing, optionally on every node below Path too.</summary>
internal sealed record ZkAddWatchRequest(string Path, bool Recursive) : IZkRequest
{
    public int OpCode => ZkOpCode.AddWatch;

    public void Write(JuteWriter writer)
    {
        writer.WriteString(Path);
        writer.WriteInt(Recursive ? 1 : 0);
    }
}

/// <summary>Removes this session's watches of a type on Path (Watcher.WatcherType numbering).</summary>
internal sealed record ZkRemoveWatchesRequest(string Path, ZkWatcherType Type) : IZkRequest
{
    public int OpCode => ZkOpCode.RemoveWatches;

    public void Write(JuteWriter writer)
    {
        writer.WriteString(Path);
        writer.WriteInt((int)Type);
    }
}

internal enum ZkWatcherType
{
    Children = 1,
    Data = 2,
    Any = 3,
    Persistent = 4,
    PersistentRecursive = 5,
}

/// <summary>Ends the session: the server deletes its ephemeral nodes at once.</summary>
internal sealed record ZkCloseSessionRequest : IZkRequest
{
    public int OpCode => ZkOpCode.CloseSession;

    public void Write(JuteWriter writer)
    {
    }
}
