namespace ContivKsr.TestSupport.FakeKube;

/// <summary>One resource type the fake serves: its URL plural, kind, API group/version and scope.</summary>
public sealed record KubeResource(string Plural, string Kind, string Group, string Version, bool Namespaced)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => Kind + "List";

    /// <summary>"pods" or "leases.coordination.k8s.io", as the real server names a resource in Status messages.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}

/// <summary>The resource types contiv-ksr reflects plus leases for leader election.</summary>
public static class KubeResources
{
    public static readonly KubeResource Namespaces = new("namespaces", "Namespace", "", "v1", Namespaced: false);
    public static readonly KubeResource Pods = new("pods", "Pod", "", "v1", Namespaced: true);
    public static readonly KubeResource Services = new("services", "Service", "", "v1", Namespaced: true);
    public static readonly KubeResource Endpoints = new("endpoints", "Endpoints", "", "v1", Namespaced: true);
    public static readonly KubeResource Nodes = new("nodes", "Node", "", "v1", Namespaced: false);
    public static readonly KubeResource NetworkPolicies = new("networkpolicies", "NetworkPolicy", "networking.k8s.io", "v1", Namespaced: true);
    public static readonly KubeResource Leases = new("leases", "Lease", "coordination.k8s.io", "v1", Namespaced: true);

    public static IReadOnlyList<KubeResource> All { get; } = [Namespaces, Pods, Services, Endpoints, Nodes, NetworkPolicies, Leases];

    public static KubeResource ByPlural(string plural) =>
        All.FirstOrDefault(r => r.Plural == plural)
        ?? throw new ArgumentException($"the fake Kubernetes API server does not serve '{plural}'; it serves {string.Join(", ", All.Select(r => r.Plural))}");

    public static KubeResource? Find(string group, string version, string plural) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);

    public static KubeResource ByApiVersionAndKind(string? apiVersion, string? kind) =>
        All.FirstOrDefault(r => r.Kind == kind && r.ApiVersion == apiVersion)
        ?? throw new ArgumentException($"the fake Kubernetes API server does not serve apiVersion '{apiVersion}' kind '{kind}'; it serves {string.Join(", ", All.Select(r => $"{r.ApiVersion} {r.Kind}"))}");
}
