using ContivKsr.ZooKeeper.Client;
using ContivKsr.ZooKeeper.Client.Protocol;

namespace ContivKsr.Kv.ZooKeeper;

/// <summary>
/// Recursive List and DeleteTree over the znode tree, a level at a time with every request of a
/// level in flight at once (ZooKeeper pipelines them on the one connection).
/// </summary>
internal static class ZkTreeReader
{
    /// <summary>Every key strictly below <paramref name="directoryPath"/>, sorted by key; lock nodes and parents-only are left out.</summary>
    public static async Task<IReadOnlyList<KvPair>> ListAsync(ZkClient client, string directoryPath, CancellationToken cancellationToken)
    {
        var keys = new List<KvPair>();
        var level = await ChildPathsAsync(client, directoryPath, cancellationToken);
        while (level.Count > 0)
        {
            var nodes = await Task.WhenAll(level.Select(path => TryGetDataAsync(client, path, cancellationToken)));
            var parents = new List<string>();
            for (var i = 0; i < level.Count; i++)
            {
                if (nodes[i] is not { } node || IsLockNode(level[i], node.Stat))
                {
                    continue;
                }

                if (ZkValueCodec.Decode(node.Data) is { } value)
                {
                    keys.Add(new KvPair(ZkPaths.ToKey(level[i]), value, node.Stat.Version + 1L));
                }

                if (node.Stat.NumChildren > 0)
                {
                    parents.Add(level[i]);
                }
            }

            var children = await Task.WhenAll(parents.Select(path => ChildPathsAsync(client, path, cancellationToken)));
            level = children.SelectMany(c => c).ToList();
        }

        keys.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return keys;
    }

    /// <summary>Deletes the directory node and everything below it, deepest first; the root and ZooKeeper's own nodes stay.</summary>
    public static async Task DeleteTreeAsync(ZkClient client, string directoryPath, CancellationToken cancellationToken)
    {
        // Someone may add a node while we delete; go round again until the tree is gone.
        for (var round = 0; round < 10; round++)
        {
            var levels = new List<List<string>>();
            var level = directoryPath == "/" ? await ChildPathsAsync(client, "/", cancellationToken) : [directoryPath];
            while (level.Count > 0)
            {
                levels.Add(level);
                var children = await Task.WhenAll(level.Select(path => ChildPathsAsync(client, path, cancellationToken)));
                level = children.SelectMany(c => c).ToList();
            }

            if (levels.Count == 0)
            {
                return;
            }

            var complete = true;
            for (var depth = levels.Count - 1; depth >= 0; depth--)
            {
                var results = await Task.WhenAll(levels[depth].Select(path => TryDeleteAsync(client, path, cancellationToken)));
                complete &= results.All(deleted => deleted);
            }

            if (complete)
            {
                return;
            }
        }

        throw new KvException($"ZooKeeper: could not delete the tree '{ZkPaths.ToKey(directoryPath)}' under concurrent writes");
    }

    public static bool IsLockNode(string path, ZkStat stat) =>
        stat.IsEphemeral && path.AsSpan(path.LastIndexOf('/') + 1).StartsWith(ZkPaths.LockNodePrefix, StringComparison.Ordinal);

    private static async Task<List<string>> ChildPathsAsync(ZkClient client, string path, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.GetChildrenAsync(path, cancellationToken);
            return response.Children
                .Where(name => !(path == "/" && client.Chroot.Length == 0 && name == ZkPaths.SystemNode))
                .Select(name => ZkPaths.Child(path, name))
                .ToList();
        }
        catch (ZkException error) when (error.Code == ZkErrorCode.NoNode)
        {
            return [];
        }
    }

    private static async Task<ZkGetDataResponse?> TryGetDataAsync(ZkClient client, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetDataAsync(path, null, cancellationToken);
        }
        catch (ZkException error) when (error.Code == ZkErrorCode.NoNode)
        {
            return null;
        }
    }

    /// <summary>True when the node is gone (deleted now or before); false when a child appeared meanwhile.</summary>
    private static async Task<bool> TryDeleteAsync(ZkClient client, string path, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteAsync(path, -1, cancellationToken);
            return true;
        }
        catch (ZkException error) when (error.Code == ZkErrorCode.NoNode)
        {
            return true;
        }
        catch (ZkException error) when (error.Code == ZkErrorCode.NotEmpty)
        {
            return false;
        }
    }
}
