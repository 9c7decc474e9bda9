using k8s.Models;
using ContivKsr.Ksr.Model.Endpoints;
using EndpointsModel = ContivKsr.Ksr.Model.Endpoints.Endpoints;

namespace ContivKsr.Ksr.Conversion;

/// <summary>core/v1 Endpoints to endpoints.Endpoints, as the Go KSR converted them: every subset, address and port in Kubernetes' order.</summary>
public static class EndpointsConverter
{
    public static EndpointsModel Convert(V1Endpoints endpoints)
    {
        var model = new EndpointsModel
        {
            Name = endpoints.Metadata?.Name ?? "",
            Namespace = endpoints.Metadata?.NamespaceProperty ?? "",
        };
        foreach (var subset in endpoints.Subsets ?? [])
        {
            var subsetModel = new EndpointSubset();
            subsetModel.Addresses.AddRange((subset.Addresses ?? []).Select(Address));
            subsetModel.NotReadyAddresses.AddRange((subset.NotReadyAddresses ?? []).Select(Address));
            subsetModel.Ports.AddRange((subset.Ports ?? []).Select(port => new EndpointSubset.Types.EndpointPort
            {
                Name = port.Name ?? "",
                Port = port.Port,
                Protocol = port.Protocol ?? "",
            }));
            model.EndpointSubsets.Add(subsetModel);
        }

        return model;
    }

    private static EndpointSubset.Types.EndpointAddress Address(V1EndpointAddress address) => new()
    {
        Ip = address.Ip ?? "",
        HostName = address.Hostname ?? "",
        NodeName = address.NodeName ?? "",
        TargetRef = address.TargetRef is { } target
            ? new ObjectReference
            {
                Kind = target.Kind ?? "",
                Namespace = target.NamespaceProperty ?? "",
                Name = target.Name ?? "",
                Uid = target.Uid ?? "",
                ApiVersion = target.ApiVersion ?? "",
                ResourceVersion = target.ResourceVersion ?? "",
            }
            : null,
    };
}
