using k8s.Models;
using ContivKsr.Ksr.Model.Node;
using NodeModel = ContivKsr.Ksr.Model.Node.Node;
using AddressType = ContivKsr.Ksr.Model.Node.NodeAddress.Types.AddressType;

namespace ContivKsr.Ksr.Conversion;

/// <summary>
/// core/v1 Node to node.Node, as the Go KSR converted it. The model has no conditions or
/// heartbeat times, so a quiet node is never rewritten; labels, taints and the pod CIDRs beyond
/// the first have no place in it either and are not written.
/// </summary>
public static class NodeConverter
{
    public static NodeModel Convert(V1Node node)
    {
        var model = new NodeModel
        {
            Name = node.Metadata?.Name ?? "",
            PodCIDR = node.Spec?.PodCIDR ?? "",
            ProviderID = node.Spec?.ProviderID ?? "",
            NodeInfo = Info(node.Status?.NodeInfo),
        };
        foreach (var address in node.Status?.Addresses ?? [])
        {
            // The Go KSR skipped an address of a type it had no name for rather than write it as unknown.
            if (TypeOf(address.Type) is { } type)
            {
                model.Addresses.Add(new NodeAddress { Type = type, Address = address.Address ?? "" });
            }
        }

        return model;
    }

    /// <summary>Always a value, as the Go KSR wrote it: empty until the kubelet reports.</summary>
    private static NodeSystemInfo Info(V1NodeSystemInfo? info) => info is null
        ? new NodeSystemInfo()
        : new NodeSystemInfo
        {
            MachineID = info.MachineID ?? "",
            SystemUUID = info.SystemUUID ?? "",
            BootID = info.BootID ?? "",
            KernelVersion = info.KernelVersion ?? "",
            OsImage = info.OsImage ?? "",
            ContainerRuntimeVersion = info.ContainerRuntimeVersion ?? "",
            KubeletVersion = info.KubeletVersion ?? "",
            KubeProxyVersion = info.KubeProxyVersion ?? "",
            OperatingSystem = info.OperatingSystem ?? "",
            Architecture = info.Architecture ?? "",
        };

    private static AddressType? TypeOf(string? type) => type switch
    {
        "Hostname" => AddressType.NodeHostName,
        "ExternalIP" => AddressType.NodeExternalIp,
        "InternalIP" => AddressType.NodeInternalIp,
        "ExternalDNS" => AddressType.NodeExternalDns,
        "InternalDNS" => AddressType.NodeInternalDns,
        _ => null,
    };
}
