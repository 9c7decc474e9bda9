using k8s.Models;
using ServiceModel = ContivKsr.Ksr.Model.Service.Service;
using ContivKsr.Ksr.Model.Service;
using IntOrString = ContivKsr.Ksr.Model.Service.IntOrString;

namespace ContivKsr.Ksr.Conversion;

public static class ServiceConverter
{
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
            LoadBalancerIp = spec.LoadBalancerIP ?? "",
            ExternalTrafficPolicy = spec.ExternalTrafficPolicy ?? "",
            HealthCheckNodePort = spec.HealthCheckNodePort ?? 0,
            PublishNotReadyAddresses = spec.PublishNotReadyAddresses ?? false,
            ExternalName = spec.ExternalName ?? "",
        };
        SortedLabels.CopyInto(model.Selector, spec.Selector ?? new Dictionary<string, string>());
        foreach (var (key, value) in SortedLabels.Of(service.Metadata?.Labels))
        {
            model.Label.Add(new Label { Key = key, Value = value ?? "" });
        }

        foreach (var port in spec.Ports ?? [])
        {
            model.Port.Add(new ServiceModel.Types.ServicePort
            {
                Name = port.Name ?? "",
                Protocol = port.Protocol ?? "TCP",
                Port = port.Port,
                TargetPort = IntOrStringOf(port.TargetPort),
                NodePort = port.NodePort ?? 0,
            });
        }

        model.ExternalIps.AddRange(spec.ExternalIPs ?? []);
        model.LoadBalancerSourceRanges.AddRange(spec.LoadBalancerSourceRanges ?? []);
        model.ClusterIps.AddRange(spec.ClusterIPs ?? []);
        return model;
    }

    private static IntOrString? IntOrStringOf(k8s.Models.IntOrString? value)
    {
        if (value?.Value is not { Length: > 0 } text)
        {
            return null;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? new IntOrString { Type = IntOrString.Types.Type.Number, IntVal = number }
            : new IntOrString { Type = IntOrString.Types.Type.String, StringVal = text };
    }
}
