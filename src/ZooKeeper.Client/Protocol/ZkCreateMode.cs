namespace ContivKsr.ZooKeeper.Client.Protocol;

/// <summary>The flags of a create request (ZooKeeper's CreateMode).</summary>
public enum ZkCreateMode
{
    Persistent = 0,
    Ephemeral = 1,
    PersistentSequential = 2,
    EphemeralSequential = 3,
    Container = 4,
    PersistentWithTtl = 5,
    PersistentSequentialWithTtl = 6,
}
