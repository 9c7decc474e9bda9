namespace ContivKsr.Ksr.Kinds;

/// <summary>Where a kind's key goes below <c>k8s/</c>.</summary>
public enum KeyPlacement
{
    /// <summary><c>{segment}/{name}</c>: a cluster-scoped kind.</summary>
    Cluster,

    /// <summary><c>namespace/{ns}/{segment}/{name}</c>: nested under its namespace's key.</summary>
    UnderNamespace,

    /// <summary><c>{segment}/{name}/namespace/{ns}</c>: one prefix per kind.</summary>
    KindFirst,
}
