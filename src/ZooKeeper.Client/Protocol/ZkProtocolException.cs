namespace ContivKsr.ZooKeeper.Client.Protocol;

/// <summary>The server sent something that does not parse as the record we expected.</summary>
public sealed class ZkProtocolException(string message) : Exception(message);
