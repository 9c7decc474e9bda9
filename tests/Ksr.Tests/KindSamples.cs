using ContivKsr.Ksr.Keys;
using ContivKsr.Ksr.Kinds;
using Google.Protobuf;
using k8s;
using k8s.Models;

namespace ContivKsr.Ksr.Tests;

/// <summary>Converts an object of any kind in the table from its API server JSON, as its reflector would.</summary>
internal static class KindSamples
{
    public static IMessage Convert(ResourceKind kind, string json) => kind switch
    {
        ResourceKind<V1Namespace, V1NamespaceList> typed => typed.Convert(KubernetesJson.Deserialize<V1Namespace>(json)),
        ResourceKind<V1Pod, V1PodList> typed => typed.Convert(KubernetesJson.Deserialize<V1Pod>(json)),
        ResourceKind<V1NetworkPolicy, V1NetworkPolicyList> typed => typed.Convert(KubernetesJson.Deserialize<V1NetworkPolicy>(json)),
        ResourceKind<V1Service, V1ServiceList> typed => typed.Convert(KubernetesJson.Deserialize<V1Service>(json)),
        ResourceKind<V1Endpoints, V1EndpointsList> typed => typed.Convert(KubernetesJson.Deserialize<V1Endpoints>(json)),
        ResourceKind<V1Node, V1NodeList> typed => typed.Convert(KubernetesJson.Deserialize<V1Node>(json)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a kind the tests cannot convert yet: add it here"),
    };

    /// <summary>The object's key in <paramref name="layout"/>.</summary>
    public static string KeyOf(KeyLayout layout, ResourceKind kind, string json)
    {
        var metadata = System.Text.Json.Nodes.JsonNode.Parse(json)?["metadata"];
        return layout.KeyOf(kind, metadata?["namespace"]?.GetValue<string>(), metadata?["name"]?.GetValue<string>() ?? "");
    }
}
