using Etcdserverpb;

namespace ContivKsr.Kv.Etcd;

/// <summary>
/// Reads a whole key range in pages, all at one revision, so a large directory is one consistent
/// snapshot without one giant response.
/// </summary>
internal static class EtcdRangeReader
{
    private const int PageSize = 1000;

    /// <returns>The pairs sorted by key, and the store revision they were read at.</returns>
    public static async Task<(List<KvPair> Pairs, long Revision)> ReadPrefixAsync(EtcdConnection connection, string prefix, CancellationToken cancellationToken)
    {
        var (start, end) = connection.Keys.PrefixRange(prefix);
        while (true)
        {
            try
            {
                return await ReadAsync(connection, start, end, cancellationToken).ConfigureAwait(false);
            }
            catch (KvException e) when (EtcdErrors.IsCompacted(e))
            {
                // The pinned revision of the first page was compacted away mid-read: start over.
            }
        }
    }

    private static async Task<(List<KvPair>, long)> ReadAsync(EtcdConnection connection, Google.Protobuf.ByteString start, Google.Protobuf.ByteString end, CancellationToken cancellationToken)
    {
        var pairs = new List<KvPair>();
        long revision = 0;
        var from = start;
        while (true)
        {
            var request = new RangeRequest { Key = from, RangeEnd = end, Limit = PageSize, Revision = revision };
            var response = await connection.CallAsync(o => connection.Kv.RangeAsync(request, o), cancellationToken).ConfigureAwait(false);
            if (revision == 0)
            {
                revision = response.Header.Revision;
            }

            pairs.AddRange(response.Kvs.Select(connection.Keys.ToPair));
            if (!response.More || response.Kvs.Count == 0)
            {
                // etcd orders by UTF-8 bytes; every backend sorts by ordinal string order, which
                // differs only for characters beyond U+D7FF.
                pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
                return (pairs, revision);
            }

            // Next page starts just after the last key: the key with a zero byte appended.
            var last = response.Kvs[^1].Key.ToByteArray();
            var next = new byte[last.Length + 1];
            last.CopyTo(next, 0);
            from = Google.Protobuf.ByteString.CopyFrom(next);
        }
    }
}
