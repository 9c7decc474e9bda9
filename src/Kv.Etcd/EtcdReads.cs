using Etcdserverpb;

namespace ContivKsr.Kv.Etcd;

/// <summary>Single-key reads that also report the store revision they saw (where a watch must start).</summary>
internal static class EtcdReads
{
    /// <returns>The pair (null when the key is missing) and the store revision of the read.</returns>
    public static async Task<(KvPair? Pair, long Revision)> GetAsync(EtcdConnection connection, string normalizedKey, CancellationToken cancellationToken)
    {
        var request = new RangeRequest { Key = connection.Keys.Bytes(normalizedKey) };
        var response = await connection.CallAsync(o => connection.Kv.RangeAsync(request, o), cancellationToken).ConfigureAwait(false);
        var pair = response.Kvs.Count == 0 ? null : connection.Keys.ToPair(response.Kvs[0]);
        return (pair, response.Header.Revision);
    }
}
