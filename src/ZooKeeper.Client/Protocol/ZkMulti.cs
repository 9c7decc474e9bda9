namespace ContivKsr.ZooKeeper.Client.Protocol;

/// <summary>
/// A multi (transaction) request: each op is a MultiHeader {type, done=false, err=-1} then its
/// record; a MultiHeader {-1, true, -1} ends the list. Only create, delete, setData and check may appear.
/// </summary>
internal sealed record ZkMultiRequest(IReadOnlyList<IZkRequest> Ops) : IZkRequest
{
    public int OpCode => ZkOpCode.Multi;

    public void Write(JuteWriter writer)
    {
        foreach (var op in Ops)
        {
            WriteHeader(writer, op.OpCode, done: false);
            op.Write(writer);
        }

        WriteHeader(writer, -1, done: true);
    }

    private static void WriteHeader(JuteWriter writer, int type, bool done)
    {
        writer.WriteInt(type);
        writer.WriteBool(done);
        writer.WriteInt(-1);
    }
}

/// <summary>One op's outcome in a multi reply: its type, its error (Ok unless the transaction failed), and for creates the path.</summary>
public sealed record ZkMultiResult(int Type, ZkErrorCode Err, string? CreatedPath, ZkStat? Stat);

internal static class ZkMultiResponse
{
    /// <summary>
    /// Parses the results. When the transaction fails, every op is reported as an error: the failing
    /// one with its own code, the others with RuntimeInconsistency (rolled back) or Ok (not reached).
    /// </summary>
    public static List<ZkMultiResult> Read(JuteReader reader)
    {
        var results = new List<ZkMultiResult>();
        while (reader.Remaining > 0)
        {
            var type = reader.ReadInt();
            var done = reader.ReadBool();
            var err = (ZkErrorCode)reader.ReadInt();
            if (done)
            {
                break;
            }

            results.Add(type switch
            {
                ZkOpCode.Create => new ZkMultiResult(type, ZkErrorCode.Ok, reader.ReadString(), null),
                ZkOpCode.Create2 or ZkOpCode.CreateTtl or ZkOpCode.CreateContainer => ReadCreate2(type, reader),
                ZkOpCode.SetData => new ZkMultiResult(type, ZkErrorCode.Ok, null, ZkStat.Read(reader)),
                ZkOpCode.Delete or ZkOpCode.Check => new ZkMultiResult(type, ZkErrorCode.Ok, null, null),
                ZkOpCode.Error => new ZkMultiResult(type, (ZkErrorCode)reader.ReadInt(), null, null),
                _ => throw new ZkProtocolException($"unexpected op type {type} (err {err}) in a multi reply"),
            });
        }

        return results;
    }

    /// <summary>The code that made the transaction fail, or Ok when it succeeded; also which op it was.</summary>
    public static (ZkErrorCode Code, int Index) FirstFailure(IReadOnlyList<ZkMultiResult> results)
    {
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i].Err is not ZkErrorCode.Ok and not ZkErrorCode.RuntimeInconsistency)
            {
                return (results[i].Err, i);
            }
        }

        for (var i = 0; i < results.Count; i++)
        {
            if (results[i].Err != ZkErrorCode.Ok)
            {
                return (results[i].Err, i);
            }
        }

        return (ZkErrorCode.Ok, -1);
    }

    private static ZkMultiResult ReadCreate2(int type, JuteReader reader)
    {
        var path = reader.ReadString();
        return new ZkMultiResult(type, ZkErrorCode.Ok, path, ZkStat.Read(reader));
    }
}
