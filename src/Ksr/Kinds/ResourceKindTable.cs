using ContivKsr.Ksr.Conversion;
using k8s;
using k8s.Models;
using EndpointsModel = ContivKsr.Ksr.Model.Endpoints.Endpoints;
using NamespaceModel = ContivKsr.Ksr.Model.Namespace.Namespace;
using NodeModel = ContivKsr.Ksr.Model.Node.Node;
using PodModel = ContivKsr.Ksr.Model.Pod.Pod;
using PolicyModel = ContivKsr.Ksr.Model.Policy.Policy;
using ServiceModel = ContivKsr.Ksr.Model.Service.Service;

namespace ContivKsr.Ksr.Kinds;

/// <summary>
/// The table of kinds. Adding a kind is one entry here, plus its converter and its model; the
/// order of <see cref="All"/> is the order KSR starts them in and lists them.
/// </summary>
public abstract partial class ResourceKind
{
    public static ResourceKind<V1Namespace, V1NamespaceList> Namespace { get; } = new(
        "namespace", "namespaces",
        (client, next, limit, ct) => client.CoreV1.ListNamespaceWithHttpMessagesAsync(continueParameter: next, limit: limit, cancellationToken: ct),
        (client, version, timeout, onError, ct) => client.CoreV1.WatchListNamespaceAsync(
            allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
        NamespaceModel.Descriptor,
        NamespaceConverter.Convert,
        nested: KeyPlacement.Cluster,
        flat: KeyPlacement.Cluster);

    public static ResourceKind<V1Pod, V1PodList> Pod { get; } = new(
        "pod", "pods",
        (client, next, limit, ct) => client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(continueParameter: next, limit: limit, cancellationToken: ct),
        (client, version, timeout, onError, ct) => client.CoreV1.WatchListPodForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
        PodModel.Descriptor,
        PodConverter.Convert,
        nested: KeyPlacement.UnderNamespace,
        flat: KeyPlacement.KindFirst,
        mapsAlwaysWritten: ["annotations"]);

    public static ResourceKind<V1NetworkPolicy, V1NetworkPolicyList> Policy { get; } = new(
        "policy", "networkpolicies",
        (client, next, limit, ct) => client.NetworkingV1.ListNetworkPolicyForAllNamespacesWithHttpMessagesAsync(continueParameter: next, limit: limit, cancellationToken: ct),
        (client, version, timeout, onError, ct) => client.NetworkingV1.WatchListNetworkPolicyForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
        PolicyModel.Descriptor,
        PolicyConverter.Convert,
        nested: KeyPlacement.UnderNamespace,
        flat: KeyPlacement.KindFirst);

    public static ResourceKind<V1Service, V1ServiceList> Service { get; } = new(
        "service", "services",
        (client, next, limit, ct) => client.CoreV1.ListServiceForAllNamespacesWithHttpMessagesAsync(continueParameter: next, limit: limit, cancellationToken: ct),
        (client, version, timeout, onError, ct) => client.CoreV1.WatchListServiceForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
        ServiceModel.Descriptor,
        ServiceConverter.Convert,
        nested: KeyPlacement.KindFirst,
        flat: KeyPlacement.KindFirst,
        mapsAlwaysWritten: ["annotations"]);

    public static ResourceKind<V1Endpoints, V1EndpointsList> Endpoints { get; } = new(
        "endpoints", "endpoints",
        (client, next, limit, ct) => client.CoreV1.ListEndpointsForAllNamespacesWithHttpMessagesAsync(continueParameter: next, limit: limit, cancellationToken: ct),
        (client, version, timeout, onError, ct) => client.CoreV1.WatchListEndpointsForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
        EndpointsModel.Descriptor,
        EndpointsConverter.Convert,
        nested: KeyPlacement.KindFirst,
        flat: KeyPlacement.KindFirst);

    public static ResourceKind<V1Node, V1NodeList> Node { get; } = new(
        "node", "nodes",
        (client, next, limit, ct) => client.CoreV1.ListNodeWithHttpMessagesAsync(continueParameter: next, limit: limit, cancellationToken: ct),
        (client, version, timeout, onError, ct) => client.CoreV1.WatchListNodeAsync(
            allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
        NodeModel.Descriptor,
        NodeConverter.Convert,
        nested: KeyPlacement.Cluster,
        flat: KeyPlacement.Cluster);

    public static IReadOnlyList<ResourceKind> All { get; } = [Namespace, Pod, Policy, Service, Endpoints, Node];

    /// <summary>The kind of a short name ("pod"), or null.</summary>
    public static ResourceKind? Find(string name) => All.FirstOrDefault(kind => kind.Name == name);
}
