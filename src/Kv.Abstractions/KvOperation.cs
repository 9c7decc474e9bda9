namespace ContivKsr.Kv;

public enum KvOperationKind
{
    Put,
    Delete,
}

/// <summary>One write of a batch (<see cref="IKvStore.WriteBatchAsync"/>).</summary>
public sealed record KvOperation(KvOperationKind Kind, string Key, ReadOnlyMemory<byte> Value)
{
    public static KvOperation Put(string key, ReadOnlyMemory<byte> value) => new(KvOperationKind.Put, key, value);

    public static KvOperation Delete(string key) => new(KvOperationKind.Delete, key, ReadOnlyMemory<byte>.Empty);
}
