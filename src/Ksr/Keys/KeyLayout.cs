using ContivKsr.Ksr.Kinds;
using ContivKsr.Kv;

namespace ContivKsr.Ksr.Keys;

/// <summary>
/// The one place that knows store keys, from each kind's <see cref="KeyPlacement"/>. Keys are
/// normalised (no leading '/'), as every IKvStore backend stores them.
/// </summary>
/// <remarks>
/// In the nested layout a namespace's key is a prefix of its pods' and policies' keys, so a
/// listing of the tree must be told apart by path components: <see cref="TryParse"/> reads the
/// components and never takes <c>k8s/namespace/a/pod/b</c> for anything but a pod. It recognises
/// the keys of both layouts, so keys left by the other layout are found and removed as stale.
/// </remarks>
public sealed class KeyLayout
{
    public const string DefaultPrefix = "vnf-agent/contiv-ksr";

    private const string K8s = "k8s";

    public KeyLayout(KeyLayoutKind kind = KeyLayoutKind.Nested, string prefix = DefaultPrefix)
    {
        Kind = kind;
        Prefix = KvKey.Normalize(prefix);
    }

    public KeyLayoutKind Kind { get; }

    /// <summary>The microservice prefix, e.g. <c>vnf-agent/contiv-ksr</c>.</summary>
    public string Prefix { get; }

    /// <summary>The directory every KSR data key lives in (what resync lists).</summary>
    public string DataRoot => $"{Prefix}/{K8s}";

    private static string NamespaceSegment => ResourceKind.Namespace.KeySegment;

    public string KeyOf(ResourceKind kind, string? @namespace, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!kind.Namespaced)
        {
            return $"{DataRoot}/{kind.KeySegment}/{name}";
        }

        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        return kind.PlacementIn(Kind) == KeyPlacement.UnderNamespace
            ? $"{DataRoot}/{NamespaceSegment}/{@namespace}/{kind.KeySegment}/{name}"
            : $"{DataRoot}/{kind.KeySegment}/{name}/{NamespaceSegment}/{@namespace}";
    }

    /// <summary>Tells which object a store key stands for, in either layout; false for anything else.</summary>
    public bool TryParse(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KsrKey? parsed)
    {
        parsed = null;
        var root = DataRoot + "/";
        var normalized = KvKey.Normalize(key);
        if (!normalized.StartsWith(root, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = normalized[root.Length..].Split('/');
        if (parts.Any(part => part.Length == 0))
        {
            return false;
        }

        parsed = parts switch
        {
            [var segment, var name] when Placed(segment, KeyPlacement.Cluster) is { } kind => new KsrKey(kind, null, name),
            [var first, var ns, var segment, var name] when first == NamespaceSegment && Placed(segment, KeyPlacement.UnderNamespace) is { } kind => new KsrKey(kind, ns, name),
            [var segment, var name, var last, var ns] when last == NamespaceSegment && Placed(segment, KeyPlacement.KindFirst) is { } kind => new KsrKey(kind, ns, name),
            _ => null,
        };
        return parsed is not null;
    }

    /// <summary>The kind whose segment this is and that is placed so in either layout.</summary>
    private static ResourceKind? Placed(string segment, KeyPlacement placement) =>
        ResourceKind.All.FirstOrDefault(kind => kind.KeySegment == segment && (kind.Nested == placement || kind.Flat == placement));
}
