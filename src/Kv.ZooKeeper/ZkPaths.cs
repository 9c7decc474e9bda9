namespace ContivKsr.Kv.ZooKeeper;

/// <summary>How normalised keys map onto znodes: one node per path segment under "/".</summary>
internal static class ZkPaths
{
    /// <summary>
    /// Lock contenders are ephemeral sequential children with this name prefix; List and WatchTree
    /// hide them (only ephemeral ones, so a persistent key with this name stays visible).
    /// </summary>
    public const string LockNodePrefix = "__kvlock-";

    /// <summary>ZooKeeper's own subtree at the real root, never a key of ours.</summary>
    public const string SystemNode = "zookeeper";

    /// <summary>"a/b" becomes "/a/b"; the empty key (the root directory) becomes "/".</summary>
    public static string ToPath(string key)
    {
        var normalized = KvKey.Normalize(key);
        return "/" + normalized;
    }

    public static string ToKey(string path) => path.TrimStart('/');

    public static string Child(string path, string name) => path == "/" ? "/" + name : path + "/" + name;

    /// <summary>The ancestors of a path, root side first, without "/" and without the path itself.</summary>
    public static IEnumerable<string> Ancestors(string path)
    {
        for (var slash = path.IndexOf('/', 1); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            yield return path[..slash];
        }
    }

    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }
}
