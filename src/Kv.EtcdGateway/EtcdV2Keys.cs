using System.Text;

namespace ContivKsr.Kv.EtcdGateway;

/// <summary>
/// Normalised keys as etcd's v2 keys API names them. v2 keys are paths rooted at '/', so the
/// normalised <c>cni/x</c> is the v2 key <c>/cni/x</c>, which is also what <c>cni/x</c> and
/// <c>/cni/x</c> mean to <c>etcdctl set</c>: the leading-slash option of v3 keys has no v2 meaning.
/// </summary>
internal static class EtcdV2Keys
{
    private const string Prefix = "/v2/keys";

    /// <summary>The request path of a key or directory ("" is the root).</summary>
    /// <exception cref="KvException">The key has no v2 name (see <see cref="TryPathOf"/>).</exception>
    public static string PathOf(string normalized) => TryPathOf(normalized, out var path)
        ? path
        : throw new KvException($"etcd's v2 API cannot name the key '{normalized}': it cleans '.' and '..' segments out of its paths");

    /// <summary>
    /// The request path, each segment percent-encoded. etcd cleans '.' and '..' out of v2 paths (and
    /// redirects a request that has them), so a key with such a segment has no v2 name of its own.
    /// </summary>
    public static bool TryPathOf(string normalized, out string path)
    {
        var builder = new StringBuilder(Prefix, Prefix.Length + normalized.Length + 8);
        if (normalized.Length == 0)
        {
            builder.Append('/');
        }
        else
        {
            foreach (var segment in normalized.Split('/'))
            {
                if (segment is "." or "..")
                {
                    path = "";
                    return false;
                }

                builder.Append('/').Append(Uri.EscapeDataString(segment));
            }
        }

        path = builder.ToString();
        return true;
    }

    /// <summary>The normalised key of a key etcd's v2 API returned ("/cni/x" → "cni/x").</summary>
    public static string KeyOf(string v2Key) => KvKey.Normalize(v2Key);
}
