using System.Buffers.Binary;
using System.Text;

namespace ContivKsr.ZooKeeper.Client.Protocol;

/// <summary>Reads what <see cref="JuteWriter"/> writes; a record cut short is a protocol error, never an index exception.</summary>
internal sealed class JuteReader(ReadOnlyMemory<byte> data)
{
    private int position;

    public int Remaining => data.Length - position;

    /// <summary>The bytes not read yet (a reply's body after its header).</summary>
    public ReadOnlyMemory<byte> Rest => data[position..];

    public int ReadInt() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public long ReadLong() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public bool ReadBool() => Take(1)[0] != 0;

    /// <summary>A null buffer (length -1) reads as empty: no record we use tells the two apart.</summary>
    public byte[] ReadBuffer()
    {
        var length = ReadLength();
        return length <= 0 ? [] : Take(length).ToArray();
    }

    public string? ReadString()
    {
        var length = ReadLength();
        return length < 0 ? null : Encoding.UTF8.GetString(Take(length));
    }

    public List<T> ReadVector<T>(Func<JuteReader, T> readItem)
    {
        var count = ReadLength();
        var items = new List<T>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            items.Add(readItem(this));
        }

        return items;
    }

    public List<string> ReadStrings() => ReadVector(static r => r.ReadString() ?? "");

    private int ReadLength()
    {
        var length = ReadInt();
        if (length > Remaining)
        {
            throw new ZkProtocolException($"a length of {length} exceeds the {Remaining} bytes left in the record");
        }

        return length;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw new ZkProtocolException($"record ended early: wanted {count} bytes, {Remaining} left");
        }

        var span = data.Span.Slice(position, count);
        position += count;
        return span;
    }
}
