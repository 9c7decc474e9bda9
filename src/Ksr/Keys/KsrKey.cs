using ContivKsr.Ksr.Kinds;

namespace ContivKsr.Ksr.Keys;

/// <summary>What a store key stands for. <see cref="Namespace"/> is null for cluster-scoped kinds (namespaces, nodes).</summary>
public sealed record KsrKey(ResourceKind Kind, string? Namespace, string Name);
