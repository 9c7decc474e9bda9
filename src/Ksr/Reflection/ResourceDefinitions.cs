using ContivKsr.Ksr.Conversion;
using ContivKsr.Ksr.Keys;
using Google.Protobuf.Reflection;
using k8s;
using k8s.Models;

namespace ContivKsr.Ksr.Reflection;

/// <summary>The six resources KSR can reflect, with their API calls and converters.</summary>
public static class ResourceDefinitions
{
    public static ResourceDefinition<V1Namespace, V1NamespaceList> Namespaces { get; } = new(
        ResourceKind.Namespace, "namespace", "namespaces",
        (client, next, limit, ct) => client.CoreV1.ListNamespaceWithHttpMessagesAsync(continueParameter: next, limit: limit, cancellationToken: ct),
        (client, version, timeout, onError, ct) => client.CoreV1.WatchListNamespaceAsync(
            allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
        Model.Namespace.Namespace.Descriptor,
        NamespaceConverter.Convert);

    public static ResourceDefinition<V1Pod, V1PodList> Pods { get; } = new(
        ResourceKind.Pod, "pod", "pods",
        (client, next, limit, ct) => client.CoreV1.ListPodForAllNamespacesWithHttpMessagesAsync(continueParameter: next, limit: limit, cancellationToken: ct),
        (client, version, timeout, onError, ct) => client.CoreV1.WatchListPodForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
        Model.Pod.Pod.Descriptor,
        PodConverter.Convert);

    public static ResourceDefinition<V1NetworkPolicy, V1NetworkPolicyList> Policies { get; } = new(
        ResourceKind.Policy, "policy", "networkpolicies",
        (client, next, limit, ct) => client.NetworkingV1.ListNetworkPolicyForAllNamespacesWithHttpMessagesAsync(continueParameter: next, limit: limit, cancellationToken: ct),
        (client, version, timeout, onError, ct) => client.NetworkingV1.WatchListNetworkPolicyForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
        Model.Policy.Policy.Descriptor,
        PolicyConverter.Convert);

    public static ResourceDefinition<V1Service, V1ServiceList> Services { get; } = new(
        ResourceKind.Service, "service", "services",
        (client, next, limit, ct) => client.CoreV1.ListServiceForAllNamespacesWithHttpMessagesAsync(continueParameter: next, limit: limit, cancellationToken: ct),
        (client, version, timeout, onError, ct) => client.CoreV1.WatchListServiceForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
        Model.Service.Service.Descriptor,
        ServiceConverter.Convert);

    public static ResourceDefinition<V1Endpoints, V1EndpointsList> Endpoints { get; } = new(
        ResourceKind.Endpoints, "endpoints", "endpoints",
        (client, next, limit, ct) => client.CoreV1.ListEndpointsForAllNamespacesWithHttpMessagesAsync(continueParameter: next, limit: limit, cancellationToken: ct),
        (client, version, timeout, onError, ct) => client.CoreV1.WatchListEndpointsForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
        Model.Endpoints.Endpoints.Descriptor,
        EndpointsConverter.Convert);

    public static ResourceDefinition<V1Node, V1NodeList> Nodes { get; } = new(
        ResourceKind.Node, "node", "nodes",
        (client, next, limit, ct) => client.CoreV1.ListNodeWithHttpMessagesAsync(continueParameter: next, limit: limit, cancellationToken: ct),
        (client, version, timeout, onError, ct) => client.CoreV1.WatchListNodeAsync(
            allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: timeout, onError: onError, cancellationToken: ct),
        Model.Node.Node.Descriptor,
        NodeConverter.Convert);

    /// <summary>Short names in the order KSR starts them; also the values of --resources.</summary>
    public static IReadOnlyList<string> AllNames { get; } = ["namespace", "pod", "policy", "service", "endpoints", "node"];

    public static string NameOf(ResourceKind kind) => AllNames[(int)kind];

    public static MessageDescriptor ModelOf(ResourceKind kind) => kind switch
    {
        ResourceKind.Namespace => Namespaces.Model,
        ResourceKind.Pod => Pods.Model,
        ResourceKind.Policy => Policies.Model,
        ResourceKind.Service => Services.Model,
        ResourceKind.Endpoints => Endpoints.Model,
        ResourceKind.Node => Nodes.Model,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
