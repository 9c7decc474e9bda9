namespace ContivKsr.Kv;

/// <summary>Key normalisation shared by every backend, so that a key means the same thing everywhere.</summary>
public static class KvKey
{
    /// <summary>
    /// Strips leading and trailing <c>/</c> and collapses <c>//</c>: <c>/cni//x/</c> becomes <c>cni/x</c>.
    /// </summary>
    public static string Normalize(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Contains("//", StringComparison.Ordinal))
        {
            return key.Trim('/');
        }

        return string.Join('/', key.Split('/', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The prefix that every key below <paramref name="directory"/> starts with ("" for the root).</summary>
    public static string DirectoryPrefix(string directory)
    {
        var normalized = Normalize(directory);
        return normalized.Length == 0 ? "" : normalized + "/";
    }
}
