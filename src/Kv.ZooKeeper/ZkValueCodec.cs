namespace ContivKsr.Kv.ZooKeeper;

/// <summary>
/// Tells keys from nodes that exist only as parents. Parents are created with empty data (as
/// zkCli and other clients do), so empty data means "not a key". A value is stored as is, except
/// an empty value or one starting with a NUL byte, which is stored behind one extra NUL byte: a
/// key's data is therefore never empty, and every value round-trips exactly. JSON, text and
/// protobuf values (a protobuf message never starts with 0x00) are stored byte for byte, so other
/// ZooKeeper clients read them unchanged.
/// </summary>
internal static class ZkValueCodec
{
    private const byte Escape = 0;

    public static byte[] Encode(ReadOnlySpan<byte> value)
    {
        if (value.Length > 0 && value[0] != Escape)
        {
            return value.ToArray();
        }

        var data = new byte[value.Length + 1];
        value.CopyTo(data.AsSpan(1));
        return data;
    }

    /// <summary>The stored value, or null when the node holds no key (empty data: a parent only).</summary>
    public static byte[]? Decode(byte[] data)
    {
        if (data.Length == 0)
        {
            return null;
        }

        return data[0] == Escape ? data[1..] : data;
    }

    /// <summary>Whether a node with this much data is a key (a key's data is never empty).</summary>
    public static bool IsKey(int dataLength) => dataLength > 0;
}
