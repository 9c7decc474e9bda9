namespace ContivKsr.Kv;

/// <summary>A key, its value and the store's modification index for it.</summary>
/// <param name="Key">The normalised key (no leading or trailing <c>/</c>).</param>
/// <param name="Value">The raw bytes stored.</param>
/// <param name="LastIndex">
/// Always greater than zero for a stored key: etcd mod_revision, Consul ModifyIndex, ZooKeeper data
/// version + 1. Pass the pair back to AtomicPut/AtomicDelete for compare-and-swap.
/// </param>
public sealed record KvPair(string Key, byte[] Value, long LastIndex)
{
    public string ValueAsString() => System.Text.Encoding.UTF8.GetString(Value);
}
