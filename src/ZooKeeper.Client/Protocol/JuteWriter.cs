using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ContivKsr.ZooKeeper.Client.Protocol;

/// <summary>
/// Serialises records the way ZooKeeper's jute BinaryOutputArchive does: big-endian ints and longs,
/// one byte per boolean, buffers and strings prefixed by their length (-1 for null), vectors prefixed
/// by their element count (-1 for null).
/// </summary>
internal sealed class JuteWriter
{
    private readonly ArrayBufferWriter<byte> buffer = new(256);

    public int Length => buffer.WrittenCount;

    public ReadOnlyMemory<byte> WrittenMemory => buffer.WrittenMemory;

    /// <summary>A copy of what was written, with the first 4 bytes replaced by the length of the rest: a ready frame.</summary>
    public byte[] ToFrame()
    {
        var frame = buffer.WrittenSpan.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length - 4);
        return frame;
    }

    public void WriteInt(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    public void WriteLong(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    public void WriteBool(bool value)
    {
        buffer.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        buffer.Advance(1);
    }

    public void WriteBuffer(ReadOnlySpan<byte> value)
    {
        WriteInt(value.Length);
        value.CopyTo(buffer.GetSpan(value.Length));
        buffer.Advance(value.Length);
    }

    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt(-1);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt(length);
        Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
        buffer.Advance(length);
    }

    public void WriteVector<T>(IReadOnlyCollection<T>? items, Action<JuteWriter, T> writeItem)
    {
        if (items is null)
        {
            WriteInt(-1);
            return;
        }

        WriteInt(items.Count);
        foreach (var item in items)
        {
            writeItem(this, item);
        }
    }

    public void WriteStrings(IReadOnlyCollection<string>? items) => WriteVector(items, static (w, s) => w.WriteString(s));
}
