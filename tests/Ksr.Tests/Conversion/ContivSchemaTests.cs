using ContivKsr.Ksr.Kinds;
using Google.Protobuf.Reflection;

namespace ContivKsr.Ksr.Tests.Conversion;

/// <summary>
/// The compiled models against contiv/vpp's plugins/ksr/model/*/*.proto, written out here by hand
/// from contiv's public schema: package, message and enum names, nesting, field names, numbers,
/// types, labels, and the order in which fields are declared (jsonpb writes them in that order;
/// nested types are listed messages first, then enums, as the compiled descriptors keep them). Contiv's
/// agents decode with jsonpb, which rejects a field they do not know, so any drift fails here.
/// </summary>
public sealed class ContivSchemaTests
{
    private const string Contiv = """
        file namespace.proto package namespace
        message namespace.Namespace
          name = 1 string
          label = 3 repeated namespace.Namespace.Label
        message namespace.Namespace.Label
          key = 1 string
          value = 2 string

        file pod.proto package pod
        message pod.Pod
          name = 1 string
          namespace = 2 string
          label = 3 repeated pod.Pod.Label
          ip_address = 4 string
          host_ip_address = 5 string
          container = 6 repeated pod.Pod.Container
          annotations = 7 map<string, string>
          labels = 8 map<string, string>
        message pod.Pod.Label
          key = 1 string
          value = 2 string
        message pod.Pod.Container
          name = 1 string
          port = 2 repeated pod.Pod.Container.Port
        message pod.Pod.Container.Port
          name = 1 string
          host_port = 2 int32
          container_port = 3 int32
          protocol = 4 pod.Pod.Container.Port.Protocol
          host_ip_address = 5 string
        enum pod.Pod.Container.Port.Protocol
          TCP = 0
          UDP = 1

        file policy.proto package policy
        message policy.Policy
          name = 1 string
          namespace = 2 string
          label = 3 repeated policy.Policy.Label
          pods = 4 policy.Policy.LabelSelector
          policy_type = 5 policy.Policy.PolicyType
          ingress_rule = 6 repeated policy.Policy.IngressRule
          egress_rule = 7 repeated policy.Policy.EgressRule
        message policy.Policy.Label
          key = 1 string
          value = 2 string
        message policy.Policy.LabelSelector
          match_label = 1 repeated policy.Policy.Label
          match_expression = 2 repeated policy.Policy.LabelSelector.LabelExpression
        message policy.Policy.LabelSelector.LabelExpression
          key = 1 string
          operator = 2 policy.Policy.LabelSelector.LabelExpression.Operator
          value = 3 repeated string
        enum policy.Policy.LabelSelector.LabelExpression.Operator
          IN = 0
          NOT_IN = 1
          EXISTS = 2
          DOES_NOT_EXIST = 3
        message policy.Policy.Port
          protocol = 3 policy.Policy.Port.Protocol
          port = 1 policy.Policy.Port.PortNameOrNumber
        message policy.Policy.Port.PortNameOrNumber
          type = 1 policy.Policy.Port.PortNameOrNumber.Type
          number = 2 int32
          name = 3 string
        enum policy.Policy.Port.PortNameOrNumber.Type
          NUMBER = 0
          NAME = 1
        enum policy.Policy.Port.Protocol
          TCP = 0
          UDP = 1
        message policy.Policy.Peer
          pods = 1 policy.Policy.LabelSelector
          namespaces = 2 policy.Policy.LabelSelector
          ip_block = 3 policy.Policy.Peer.IPBlock
        message policy.Policy.Peer.IPBlock
          cidr = 1 string
          except = 2 repeated string
        message policy.Policy.IngressRule
          port = 1 repeated policy.Policy.Port
          from = 2 repeated policy.Policy.Peer
        message policy.Policy.EgressRule
          port = 1 repeated policy.Policy.Port
          to = 2 repeated policy.Policy.Peer
        enum policy.Policy.PolicyType
          DEFAULT = 0
          INGRESS = 1
          EGRESS = 2
          INGRESS_AND_EGRESS = 3

        file service.proto package service
        message service.Service
          name = 1 string
          namespace = 2 string
          port = 3 repeated service.Service.ServicePort
          selector = 4 map<string, string>
          cluster_ip = 5 string
          service_type = 6 string
          external_ips = 7 repeated string
          lb_ingress_ips = 8 repeated string
          session_affinity = 9 string
          loadbalancer_ip = 10 string
          loadbalancer_source_ranges = 11 repeated string
          external_traffic_policy = 12 string
          health_check_node_port = 13 int32
          session_affinity_timeout = 14 uint32
          annotations = 15 map<string, string>
        message service.Service.ServicePort
          name = 1 string
          protocol = 2 string
          port = 3 int32
          target_port = 4 service.Service.ServicePort.IntOrString
          node_port = 5 int32
        message service.Service.ServicePort.IntOrString
          type = 1 service.Service.ServicePort.IntOrString.Type
          int_val = 2 int32
          string_val = 3 string
        enum service.Service.ServicePort.IntOrString.Type
          NUMBER = 0
          STRING = 1

        file endpoints.proto package endpoints
        message endpoints.ObjectReference
          kind = 1 string
          namespace = 2 string
          name = 3 string
          uid = 4 string
          api_version = 5 string
          resource_version = 6 string
        message endpoints.EndpointSubset
          addresses = 1 repeated endpoints.EndpointSubset.EndpointAddress
          not_ready_addresses = 2 repeated endpoints.EndpointSubset.EndpointAddress
          ports = 3 repeated endpoints.EndpointSubset.EndpointPort
        message endpoints.EndpointSubset.EndpointAddress
          ip = 1 string
          host_name = 2 string
          node_name = 3 string
          target_ref = 4 endpoints.ObjectReference
        message endpoints.EndpointSubset.EndpointPort
          name = 1 string
          port = 2 int32
          protocol = 3 string
        message endpoints.Endpoints
          name = 1 string
          namespace = 2 string
          endpoint_subsets = 3 repeated endpoints.EndpointSubset

        file node.proto package node
        message node.Node
          name = 1 string
          pod_CIDR = 2 string
          provider_ID = 3 string
          addresses = 4 repeated node.NodeAddress
          node_info = 5 node.NodeSystemInfo
        message node.NodeAddress
          type = 1 node.NodeAddress.AddressType
          address = 2 string
        enum node.NodeAddress.AddressType
          NodeUnknownAddr = 0
          NodeHostName = 1
          NodeExternalIP = 2
          NodeInternalIP = 3
          NodeExternalDNS = 4
          NodeInternalDNS = 5
        message node.NodeSystemInfo
          machine_ID = 1 string
          system_UUID = 2 string
          boot_ID = 3 string
          kernel_version = 4 string
          os_image = 5 string
          container_runtime_version = 6 string
          kubelet_version = 7 string
          KubeProxyVersion = 8 string
          OperatingSystem = 9 string
          Architecture = 10 string
        """;

    [Fact]
    public void EveryModelIsContivsFieldForField()
    {
        var files = ResourceKind.All.Select(kind => kind.Model.File);

        var ours = string.Join("\n\n", files.Select(Describe));

        Assert.Equal(Normalize(Contiv), ours);
    }

    private static string Normalize(string text) =>
        string.Join("\n", text.Split('\n').Select(line => line.TrimEnd()));

    private static string Describe(FileDescriptor file)
    {
        var lines = new List<string> { $"file {file.Name} package {file.Package}" };
        foreach (var message in file.MessageTypes)
        {
            DescribeMessage(message, lines);
        }

        return string.Join("\n", lines);
    }

    /// <summary>A message, then its nested messages (map entries left out) and enums.</summary>
    private static void DescribeMessage(MessageDescriptor message, List<string> lines)
    {
        lines.Add($"message {message.FullName}");
        lines.AddRange(message.Fields.InDeclarationOrder().Select(field => $"  {field.Name} = {field.FieldNumber} {TypeOf(field)}"));
        foreach (var nested in message.NestedTypes.Where(nested => nested.GetOptions()?.MapEntry != true))
        {
            DescribeMessage(nested, lines);
        }

        foreach (var enumType in message.EnumTypes)
        {
            lines.Add($"enum {enumType.FullName}");
            lines.AddRange(enumType.Values.Select(value => $"  {value.Name} = {value.Number}"));
        }
    }

    private static string TypeOf(FieldDescriptor field)
    {
        if (field.IsMap)
        {
            return $"map<{TypeOf(field.MessageType.FindFieldByNumber(1))}, {TypeOf(field.MessageType.FindFieldByNumber(2))}>";
        }

        var type = field.FieldType switch
        {
            FieldType.Message => field.MessageType.FullName,
            FieldType.Enum => field.EnumType.FullName,
            _ => field.FieldType.ToString().ToLowerInvariant(),
        };
        return field.IsRepeated ? "repeated " + type : type;
    }
}
