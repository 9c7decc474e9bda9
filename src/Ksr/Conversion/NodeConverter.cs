using k8s.Models;
using ContivKsr.Ksr.Model.Node;
using NodeModel = ContivKsr.Ksr.Model.Node.Node;
using AddressType = ContivKsr.Ksr.Model.Node.Node.Types.NodeAddress.Types.NodeAddressType;

namespace ContivKsr.Ksr.Conversion;

/// <summary>
/// Keeps what the agents need (addresses, pod CIDRs, system info) and leaves out what changes on
/// every kubelet heartbeat (conditions, heartbeat times), so that a quiet node is never rewritten.
/// </summary>
public static class NodeConverter
{
    public static NodeModel Convert(V1Node node)
    {
        var model = new NodeModel
        {
            Name = node.Metadata?.Name ?? "",
            PodCidr = node.Spec?.PodCIDR ?? "",
            ProviderId = node.Spec?.ProviderID ?? "",
        };
        model.PodCidrs.AddRange(node.Spec?.PodCIDRs ?? []);
        foreach (var (key, value) in SortedLabels.Of(node.Metadata?.Labels))
        {
            model.Label.Add(new Label { Key = key, Value = value ?? "" });
        }

        foreach (var address in node.Status?.Addresses ?? [])
        {
            model.Addresses.Add(new NodeModel.Types.NodeAddress { Type = TypeOf(address.Type), Address = address.Address ?? "" });
        }

        if (node.Status?.NodeInfo is { } info)
        {
            model.NodeInfo = new NodeModel.Types.NodeSystemInfo
            {
                MachineId = info.MachineID ?? "",
                SystemUuid = info.SystemUUID ?? "",
                BootId = info.BootID ?? "",
                KernelVersion = info.KernelVersion ?? "",
                OsImage = info.OsImage ?? "",
                ContainerRuntimeVersion = info.ContainerRuntimeVersion ?? "",
                KubeletVersion = info.KubeletVersion ?? "",
                KubeProxyVersion = info.KubeProxyVersion ?? "",
                OperatingSystem = info.OperatingSystem ?? "",
                Architecture = info.Architecture ?? "",
            };
        }

        return model;
    }

    private static AddressType TypeOf(string? type) => type switch
    {
        "Hostname" => AddressType.Hostname,
        "ExternalIP" => AddressType.ExternalIp,
        "InternalIP" => AddressType.InternalIp,
        "ExternalDNS" => AddressType.ExternalDns,
        "InternalDNS" => AddressType.InternalDns,
        _ => AddressType.Unknown,
    };
}
