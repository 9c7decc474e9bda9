namespace ContivKsr.Kv.Etcd.Core;

/// <summary>
/// Key rules every etcd client of this project follows alike, over gRPC or HTTP, so that a key one
/// of them writes is the key another reads.
/// </summary>
public static class EtcdKey
{
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

    /// <summary>etcd takes whole seconds; a TTL below one second still gets one.</summary>
    public static long TtlSeconds(TimeSpan ttl) => Math.Max(1, (long)Math.Ceiling(ttl.TotalSeconds));

    /// <summary>The key as etcd's v3 keyspace stores it: with a leading '/' when asked for, as Go clients such as contiv's cn-infra wrote them.</summary>
    public static string StoredForm(string normalized, bool leadingSlash) => leadingSlash ? "/" + normalized : normalized;
}
