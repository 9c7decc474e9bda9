namespace ContivKsr.ZooKeeper.Client.Protocol;

/// <summary>Request types, as numbered in ZooKeeper's ZooDefs.OpCode.</summary>
internal static class ZkOpCode
{
    public const int Notification = 0;
    public const int Create = 1;
    public const int Delete = 2;
    public const int Exists = 3;
    public const int GetData = 4;
    public const int SetData = 5;
    public const int GetChildren = 8;
    public const int Sync = 9;
    public const int Ping = 11;
    public const int GetChildren2 = 12;
    public const int Check = 13;
    public const int Multi = 14;
    public const int Create2 = 15;
    public const int RemoveWatches = 18;
    public const int CreateContainer = 19;
    public const int CreateTtl = 21;
    public const int Auth = 100;
    public const int SetWatches = 101;
    public const int SetWatches2 = 105;
    public const int AddWatch = 106;
    public const int CloseSession = -11;
    public const int Error = -1;
}

/// <summary>Reserved xids: replies carrying these are not answers to numbered requests.</summary>
internal static class ZkXid
{
    public const int Notification = -1;
    public const int Ping = -2;
    public const int Auth = -4;
    public const int SetWatches = -8;
}
