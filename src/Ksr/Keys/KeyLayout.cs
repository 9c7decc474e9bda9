using ContivKsr.Kv;

namespace ContivKsr.Ksr.Keys;

/// <summary>
/// The one place that knows store keys. Keys are normalised (no leading '/'), as every IKvStore
/// backend stores them.
/// </summary>
/// <remarks>
/// In the nested layout a namespace's key is a prefix of its pods' and policies' keys, so a
/// listing of the tree must be told apart by path components: <see cref="TryParse"/> reads the
/// components and never takes <c>k8s/namespace/a/pod/b</c> for anything but a pod. It recognises
/// the keys of both layouts, so keys left by the other layout are found and removed as stale.
/// Services, endpoints and nodes use the per-kind keys of the later Go KSR in both layouts.
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

    public static string SegmentOf(ResourceKind kind) => kind switch
    {
        ResourceKind.Namespace => "namespace",
        ResourceKind.Pod => "pod",
        ResourceKind.Policy => "policy",
        ResourceKind.Service => "service",
        ResourceKind.Endpoints => "endpoints",
        ResourceKind.Node => "node",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public string KeyOf(KsrKey key) => KeyOf(key.Kind, key.Namespace, key.Name);

    public string KeyOf(ResourceKind kind, string? @namespace, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (kind is ResourceKind.Namespace or ResourceKind.Node)
        {
            return $"{DataRoot}/{SegmentOf(kind)}/{name}";
        }

        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        var nested = Kind == KeyLayoutKind.Nested && kind is ResourceKind.Pod or ResourceKind.Policy;
        return nested
            ? $"{DataRoot}/namespace/{@namespace}/{SegmentOf(kind)}/{name}"
            : $"{DataRoot}/{SegmentOf(kind)}/{name}/namespace/{@namespace}";
    }

    /// <summary>Tells which object a store key stands for, in either layout; false for anything else.</summary>
    public bool TryParse(string key, out KsrKey parsed)
    {
        parsed = null!;
        var root = DataRoot + "/";
        var normalized = KvKey.Normalize(key);
        if (!normalized.StartsWith(root, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = normalized[root.Length..].Split('/');
        KsrKey? result = parts switch
        {
            ["namespace", var ns] => new KsrKey(ResourceKind.Namespace, null, ns),
            ["node", var node] => new KsrKey(ResourceKind.Node, null, node),
            ["namespace", var ns, "pod", var pod] => new KsrKey(ResourceKind.Pod, ns, pod),
            ["namespace", var ns, "policy", var policy] => new KsrKey(ResourceKind.Policy, ns, policy),
            [var segment, var name, "namespace", var ns] when NamespacedKind(segment) is { } kind => new KsrKey(kind, ns, name),
            _ => null,
        };
        if (result is null || parts.Any(part => part.Length == 0))
        {
            return false;
        }

        parsed = result;
        return true;
    }

    private static ResourceKind? NamespacedKind(string segment) => segment switch
    {
        "pod" => ResourceKind.Pod,
        "policy" => ResourceKind.Policy,
        "service" => ResourceKind.Service,
        "endpoints" => ResourceKind.Endpoints,
        _ => null,
    };
}
