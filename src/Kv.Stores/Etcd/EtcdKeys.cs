using Google.Protobuf;
using Mvccpb;

namespace ContivKsr.Kv.Stores.Etcd;

/// <summary>Normalised keys and directory prefixes as etcd byte ranges.</summary>
internal static class EtcdKeys
{
    /// <summary>etcd's "from the first key" / "to the end" marker: a single zero byte.</summary>
    private static readonly ByteString Zero = ByteString.CopyFrom(0);

    /// <exception cref="ArgumentException">The key is empty after normalisation (etcd has no root key).</exception>
    public static string Normalize(string key)
    {
        var normalized = KvKey.Normalize(key);
        if (normalized.Length == 0)
        {
            throw new ArgumentException($"'{key}' is not a key: it is empty after removing '/'", nameof(key));
        }

        return normalized;
    }

    public static ByteString Bytes(string normalizedKey) => ByteString.CopyFromUtf8(normalizedKey);

    /// <summary>[start, end) covering every key that starts with <paramref name="prefix"/> ("" = every key).</summary>
    public static (ByteString Start, ByteString End) PrefixRange(string prefix)
    {
        if (prefix.Length == 0)
        {
            return (Zero, Zero);
        }

        var end = System.Text.Encoding.UTF8.GetBytes(prefix);
        // The smallest key greater than every key with this prefix: bump the last byte below 0xff.
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xff)
            {
                end[i]++;
                return (Bytes(prefix), ByteString.CopyFrom(end, 0, i + 1));
            }
        }

        return (Bytes(prefix), Zero);
    }

    public static KvPair ToPair(KeyValue kv) => new(kv.Key.ToStringUtf8(), kv.Value.ToByteArray(), kv.ModRevision);

    /// <summary>etcd takes whole seconds; a TTL below one second still gets one.</summary>
    public static long TtlSeconds(TimeSpan ttl) => Math.Max(1, (long)Math.Ceiling(ttl.TotalSeconds));
}
