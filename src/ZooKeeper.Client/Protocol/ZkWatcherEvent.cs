namespace ContivKsr.ZooKeeper.Client.Protocol;

/// <summary>Watcher.Event.EventType.</summary>
public enum ZkEventType
{
    None = -1,
    NodeCreated = 1,
    NodeDeleted = 2,
    NodeDataChanged = 3,
    NodeChildrenChanged = 4,
    DataWatchRemoved = 5,
    ChildWatchRemoved = 6,
    PersistentWatchRemoved = 7,
}

/// <summary>Watcher.Event.KeeperState (the states a client can report to its watchers).</summary>
public enum ZkKeeperState
{
    Disconnected = 0,
    SyncConnected = 3,
    AuthFailed = 4,
    ConnectedReadOnly = 5,
    Closed = 7,
    Expired = -112,
}

/// <summary>A watch notification (sent with xid -1), or a connection state change raised by the client itself (type None).</summary>
public sealed record ZkWatcherEvent(ZkEventType Type, ZkKeeperState State, string Path)
{
    internal static ZkWatcherEvent Read(JuteReader reader) =>
        new((ZkEventType)reader.ReadInt(), (ZkKeeperState)reader.ReadInt(), reader.ReadString() ?? "");

    internal static ZkWatcherEvent StateChange(ZkKeeperState state) => new(ZkEventType.None, state, "");
}
