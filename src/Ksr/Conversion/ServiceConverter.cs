using System.Globalization;
using k8s.Models;
using ServiceModel = ContivKsr.Ksr.Model.Service.Service;
using ServicePort = ContivKsr.Ksr.Model.Service.Service.Types.ServicePort;
using IntOrString = ContivKsr.Ksr.Model.Service.Service.Types.ServicePort.Types.IntOrString;

namespace ContivKsr.Ksr.Conversion;

/// <summary>
/// core/v1 Service to service.Service, as the Go KSR converted it. Fields of the Service that
/// contiv's model has no place for (cluster IPs beyond the first, externalName, ...) are not written.
/// </summary>
public static class ServiceConverter
{
    /// <summary>Kubernetes' session affinity timeout when ClientIP affinity names none (3 hours).</summary>
    public const uint DefaultClientIpAffinitySeconds = 10800;

    public static ServiceModel Convert(V1Service service)
    {
        var spec = service.Spec ?? new V1ServiceSpec();
        var model = new ServiceModel
        {
            Name = service.Metadata?.Name ?? "",
            Namespace = service.Metadata?.NamespaceProperty ?? "",
            ClusterIp = spec.ClusterIP ?? "",
            ServiceType = spec.Type ?? "",
            SessionAffinity = spec.SessionAffinity ?? "",
            SessionAffinityTimeout = AffinityTimeout(spec),
            LoadbalancerIp = spec.LoadBalancerIP ?? "",
            ExternalTrafficPolicy = spec.ExternalTrafficPolicy ?? "",
            HealthCheckNodePort = spec.HealthCheckNodePort ?? 0,
        };
        model.Port.AddRange((spec.Ports ?? []).Select(Port));
        SortedLabels.CopyInto(model.Selector, spec.Selector ?? new Dictionary<string, string>());
        model.ExternalIps.AddRange(spec.ExternalIPs ?? []);
        // One entry per ingress point, as the Go KSR wrote them: a hostname-only point (AWS) gives "".
        model.LbIngressIps.AddRange((service.Status?.LoadBalancer?.Ingress ?? []).Select(ingress => ingress.Ip ?? ""));
        model.LoadbalancerSourceRanges.AddRange(spec.LoadBalancerSourceRanges ?? []);
        SortedLabels.CopyInto(model.Annotations, ContivAnnotations.Of(service.Metadata));
        return model;
    }

    private static ServicePort Port(V1ServicePort port) => new()
    {
        Name = port.Name ?? "",
        Protocol = port.Protocol ?? "",
        Port = port.Port,
        TargetPort = TargetPort(port.TargetPort),
        NodePort = port.NodePort ?? 0,
    };

    /// <summary>Always a value: an absent targetPort is Go's zero IntOrString, NUMBER 0.</summary>
    private static IntOrString TargetPort(k8s.Models.IntOrString? value)
    {
        var text = value?.Value ?? "";
        if (text.Length == 0)
        {
            return new IntOrString();
        }

        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? new IntOrString { Type = IntOrString.Types.Type.Number, IntVal = number }
            : new IntOrString { Type = IntOrString.Types.Type.String, StringVal = text };
    }

    private static uint AffinityTimeout(V1ServiceSpec spec)
    {
        if (spec.SessionAffinity != "ClientIP")
        {
            return 0;
        }

        return spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds is { } seconds
            ? unchecked((uint)seconds)
            : DefaultClientIpAffinitySeconds;
    }
}
