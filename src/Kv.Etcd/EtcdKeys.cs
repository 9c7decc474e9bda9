using ContivKsr.Kv.Etcd.Core;
using Google.Protobuf;
using Mvccpb;

namespace ContivKsr.Kv.Etcd;

/// <summary>
/// The one place where normalised keys become etcd bytes and back. With
/// <see cref="EtcdOptions.LeadingSlash"/> every stored key (and every range prefix) carries a
/// leading '/', as Go clients such as contiv's cn-infra wrote them; callers only ever see the
/// normalised form.
/// </summary>
internal sealed class EtcdKeys(bool leadingSlash)
{
    /// <summary>etcd's "from the first key" / "to the end" marker: a single zero byte.</summary>
    private static readonly ByteString Zero = ByteString.CopyFrom(0);

    public ByteString Bytes(string normalizedKey) => ByteString.CopyFromUtf8(Stored(normalizedKey));

    /// <summary>
    /// [start, end) covering every key that starts with <paramref name="prefix"/>. "" is every key
    /// this store writes: the whole keyspace, or with the leading slash every key under '/'.
    /// </summary>
    public (ByteString Start, ByteString End) PrefixRange(string prefix)
    {
        var stored = Stored(prefix);
        if (stored.Length == 0)
        {
            return (Zero, Zero);
        }

        var end = System.Text.Encoding.UTF8.GetBytes(stored);
        // The smallest key greater than every key with this prefix: bump the last byte below 0xff.
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] < 0xff)
            {
                end[i]++;
                return (ByteString.CopyFromUtf8(stored), ByteString.CopyFrom(end, 0, i + 1));
            }
        }

        return (ByteString.CopyFromUtf8(stored), Zero);
    }

    /// <summary>The normalised key of a key etcd returned (every such key lies in one of our ranges).</summary>
    public string KeyOf(ByteString stored)
    {
        var key = stored.ToStringUtf8();
        return leadingSlash && key.StartsWith('/') ? key[1..] : key;
    }

    public KvPair ToPair(KeyValue kv) => new(KeyOf(kv.Key), kv.Value.ToByteArray(), kv.ModRevision);

    private string Stored(string normalized) => EtcdKey.StoredForm(normalized, leadingSlash);
}
