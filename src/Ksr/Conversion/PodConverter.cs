using k8s.Models;
using PodModel = ContivKsr.Ksr.Model.Pod.Pod;
using PortModel = ContivKsr.Ksr.Model.Pod.Pod.Types.Container.Types.Port;

namespace ContivKsr.Ksr.Conversion;

public static class PodConverter
{
    public static PodModel Convert(V1Pod pod)
    {
        var model = new PodModel
        {
            Name = pod.Metadata?.Name ?? "",
            Namespace = pod.Metadata?.NamespaceProperty ?? "",
            IpAddress = pod.Status?.PodIP ?? "",
            HostIpAddress = pod.Status?.HostIP ?? "",
        };

        var labels = SortedLabels.Of(pod.Metadata?.Labels).ToList();
        foreach (var (key, value) in labels)
        {
            model.Label.Add(new PodModel.Types.Label { Key = key, Value = value ?? "" });
        }

        SortedLabels.CopyInto(model.Labels, labels);
        SortedLabels.CopyInto(model.Annotations, ContivAnnotations.Of(pod.Metadata));

        foreach (var container in pod.Spec?.Containers ?? [])
        {
            var containerModel = new PodModel.Types.Container { Name = container.Name ?? "" };
            foreach (var port in container.Ports ?? [])
            {
                containerModel.Port.Add(new PortModel
                {
                    Name = port.Name ?? "",
                    HostPort = port.HostPort ?? 0,
                    ContainerPort = port.ContainerPort,
                    Protocol = Protocol(port.Protocol),
                    HostIpAddress = port.HostIP ?? "",
                });
            }

            model.Container.Add(containerModel);
        }

        return model;
    }

    // The schema knows TCP and UDP only; SCTP (and an absent protocol, which Kubernetes defaults to TCP) map to TCP.
    private static PortModel.Types.Protocol Protocol(string? protocol) =>
        string.Equals(protocol, "UDP", StringComparison.OrdinalIgnoreCase)
            ? PortModel.Types.Protocol.Udp
            : PortModel.Types.Protocol.Tcp;
}
