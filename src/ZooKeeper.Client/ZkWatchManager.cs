using System.Threading.Channels;
using ContivKsr.ZooKeeper.Client.Protocol;

namespace ContivKsr.ZooKeeper.Client;

internal enum ZkWatchKind
{
    Data,
    Exist,
    Child,
    Persistent,
    PersistentRecursive,
}

/// <summary>
/// The client side of ZooKeeper watches: which local watcher waits on which server path, with
/// ZooKeeper's rules for who a notification wakes (one-shot data/exist/child watches are consumed,
/// persistent ones stay; a recursive watch sees its whole subtree). It also lists the watches to
/// re-arm with SetWatches on a new connection, and forgets them all when the session expires.
/// Paths here are server paths (chroot included).
/// </summary>
internal sealed class ZkWatchManager
{
    private readonly object gate = new();
    private readonly Dictionary<(ZkWatchKind Kind, string Path), HashSet<ChannelWriter<ZkWatcherEvent>>> registrations = [];

    public void Add(ZkWatchKind kind, string path, ChannelWriter<ZkWatcherEvent> watcher)
    {
        lock (gate)
        {
            if (!registrations.TryGetValue((kind, path), out var watchers))
            {
                registrations[(kind, path)] = watchers = [];
            }

            watchers.Add(watcher);
        }
    }

    /// <summary>Removes one registration; true when no local watcher of that kind is left on the path.</summary>
    public bool Remove(ZkWatchKind kind, string path, ChannelWriter<ZkWatcherEvent> watcher)
    {
        lock (gate)
        {
            if (!registrations.TryGetValue((kind, path), out var watchers))
            {
                return true;
            }

            watchers.Remove(watcher);
            if (watchers.Count > 0)
            {
                return false;
            }

            registrations.Remove((kind, path));
            return true;
        }
    }

    /// <summary>Forgets a watcher wherever it is registered (its consumer stopped).</summary>
    public void RemoveEverywhere(ChannelWriter<ZkWatcherEvent> watcher)
    {
        lock (gate)
        {
            foreach (var (key, watchers) in registrations.ToList())
            {
                if (watchers.Remove(watcher) && watchers.Count == 0)
                {
                    registrations.Remove(key);
                }
            }
        }
    }

    public void Dispatch(ZkWatcherEvent notification)
    {
        var targets = new HashSet<ChannelWriter<ZkWatcherEvent>>();
        lock (gate)
        {
            if (notification.Type == ZkEventType.None)
            {
                foreach (var watchers in registrations.Values)
                {
                    targets.UnionWith(watchers);
                }

                if (notification.State == ZkKeeperState.Expired)
                {
                    // The server forgot every watch with the session; consumers re-arm on the new one.
                    registrations.Clear();
                }
            }
            else
            {
                CollectTargets(notification, targets);
            }
        }

        foreach (var target in targets)
        {
            target.TryWrite(notification);
        }
    }

    /// <summary>What to re-arm on a new connection of the same session; null when nothing is watched.</summary>
    public ZkSetWatches? ToSetWatches(long relativeZxid)
    {
        lock (gate)
        {
            if (registrations.Count == 0)
            {
                return null;
            }

            List<string> Paths(ZkWatchKind kind) => registrations.Keys.Where(k => k.Kind == kind).Select(k => k.Path).ToList();
            return new ZkSetWatches(
                relativeZxid,
                Paths(ZkWatchKind.Data),
                Paths(ZkWatchKind.Exist),
                Paths(ZkWatchKind.Child),
                Paths(ZkWatchKind.Persistent),
                Paths(ZkWatchKind.PersistentRecursive));
        }
    }

    private void CollectTargets(ZkWatcherEvent notification, HashSet<ChannelWriter<ZkWatcherEvent>> targets)
    {
        var path = notification.Path;
        switch (notification.Type)
        {
            case ZkEventType.NodeCreated:
            case ZkEventType.NodeDataChanged:
                Consume(ZkWatchKind.Data, path, targets);
                Consume(ZkWatchKind.Exist, path, targets);
                break;
            case ZkEventType.NodeDeleted:
                Consume(ZkWatchKind.Data, path, targets);
                Consume(ZkWatchKind.Exist, path, targets);
                Consume(ZkWatchKind.Child, path, targets);
                break;
            case ZkEventType.NodeChildrenChanged:
                Consume(ZkWatchKind.Child, path, targets);
                break;
        }

        if (registrations.TryGetValue((ZkWatchKind.Persistent, path), out var persistent))
        {
            targets.UnionWith(persistent);
        }

        // Recursive watches do not report child-list changes: the creations and deletions below say it all.
        if (notification.Type == ZkEventType.NodeChildrenChanged)
        {
            return;
        }

        for (var ancestor = path; ; ancestor = ParentOf(ancestor))
        {
            if (registrations.TryGetValue((ZkWatchKind.PersistentRecursive, ancestor), out var recursive))
            {
                targets.UnionWith(recursive);
            }

            if (ancestor == "/")
            {
                break;
            }
        }
    }

    private void Consume(ZkWatchKind kind, string path, HashSet<ChannelWriter<ZkWatcherEvent>> targets)
    {
        if (registrations.Remove((kind, path), out var watchers))
        {
            targets.UnionWith(watchers);
        }
    }

    private static string ParentOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }
}
