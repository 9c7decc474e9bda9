namespace ContivKsr.Kv;

/// <summary>Options of a write.</summary>
/// <param name="Ttl">When set, the key disappears this long after the write unless written again.</param>
public sealed record KvWriteOptions(TimeSpan? Ttl = null);
