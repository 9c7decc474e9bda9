using k8s.Models;
using PolicyModel = ContivKsr.Ksr.Model.Policy.Policy;
using Types = ContivKsr.Ksr.Model.Policy.Policy.Types;

namespace ContivKsr.Ksr.Conversion;

/// <summary>
/// networking.k8s.io/v1 NetworkPolicy to policy.Policy. Follows Kubernetes' own rules where the Go
/// KSR did not: the policy type defaults as Kubernetes defines it, and a peer keeps both selectors.
/// </summary>
public static class PolicyConverter
{
    public static PolicyModel Convert(V1NetworkPolicy policy)
    {
        var spec = policy.Spec ?? new V1NetworkPolicySpec();
        var model = new PolicyModel
        {
            Name = policy.Metadata?.Name ?? "",
            Namespace = policy.Metadata?.NamespaceProperty ?? "",
            // podSelector is required by the API and the server always returns it; "{}" selects
            // every pod of the namespace, and so does a missing one.
            Pods = Selector(spec.PodSelector) ?? new Types.LabelSelector(),
            PolicyType = PolicyType(spec),
        };
        foreach (var (key, value) in SortedLabels.Of(policy.Metadata?.Labels))
        {
            model.Label.Add(new Types.Label { Key = key, Value = value ?? "" });
        }

        foreach (var rule in spec.Ingress ?? [])
        {
            var ruleModel = new Types.IngressRule();
            ruleModel.Port.AddRange((rule.Ports ?? []).Select(Port));
            ruleModel.From.AddRange((rule.FromProperty ?? []).Select(Peer));
            model.IngressRule.Add(ruleModel);
        }

        foreach (var rule in spec.Egress ?? [])
        {
            var ruleModel = new Types.EgressRule();
            ruleModel.Port.AddRange((rule.Ports ?? []).Select(Port));
            ruleModel.To.AddRange((rule.To ?? []).Select(Peer));
            model.EgressRule.Add(ruleModel);
        }

        return model;
    }

    /// <summary>
    /// Kubernetes: without policyTypes a policy is Ingress, plus Egress when it has egress rules.
    /// </summary>
    internal static Types.PolicyType PolicyType(V1NetworkPolicySpec spec)
    {
        bool ingress, egress;
        if (spec.PolicyTypes is { Count: > 0 } types)
        {
            ingress = types.Any(t => string.Equals(t, "Ingress", StringComparison.OrdinalIgnoreCase));
            egress = types.Any(t => string.Equals(t, "Egress", StringComparison.OrdinalIgnoreCase));
        }
        else
        {
            ingress = true;
            egress = spec.Egress is { Count: > 0 };
        }

        return (ingress, egress) switch
        {
            (true, true) => Types.PolicyType.IngressAndEgress,
            (true, false) => Types.PolicyType.Ingress,
            (false, true) => Types.PolicyType.Egress,
            _ => Types.PolicyType.Default,
        };
    }

    /// <summary>Null stays null: an absent selector and an empty one ("all") differ in a peer.</summary>
    internal static Types.LabelSelector? Selector(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return null;
        }

        var model = new Types.LabelSelector();
        foreach (var (key, value) in SortedLabels.Of(selector.MatchLabels))
        {
            model.MatchLabel.Add(new Types.Label { Key = key, Value = value ?? "" });
        }

        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var expressionModel = new Types.LabelSelector.Types.LabelExpression
            {
                Key = expression.Key ?? "",
                Operator = Operator(expression.OperatorProperty),
            };
            expressionModel.Value.AddRange(expression.Values ?? []);
            model.MatchExpression.Add(expressionModel);
        }

        return model;
    }

    private static Types.LabelSelector.Types.LabelExpression.Types.Operator Operator(string? name) => name switch
    {
        "In" => Types.LabelSelector.Types.LabelExpression.Types.Operator.In,
        "NotIn" => Types.LabelSelector.Types.LabelExpression.Types.Operator.NotIn,
        "Exists" => Types.LabelSelector.Types.LabelExpression.Types.Operator.Exists,
        "DoesNotExist" => Types.LabelSelector.Types.LabelExpression.Types.Operator.DoesNotExist,
        _ => throw new ConversionException($"unknown label selector operator '{name}'"),
    };

    private static Types.Port Port(V1NetworkPolicyPort port)
    {
        var model = new Types.Port
        {
            // SCTP has no value in the schema; like the Go KSR it becomes TCP. endPort has no field
            // in contiv's model either and is not written.
            Protocol = string.Equals(port.Protocol, "UDP", StringComparison.OrdinalIgnoreCase)
                ? Types.Port.Types.Protocol.Udp
                : Types.Port.Types.Protocol.Tcp,
        };
        if (port.Port?.Value is { Length: > 0 } value)
        {
            // A named port is an IANA service name, which always holds a letter, so digits mean a number.
            model.Port_ = int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                ? new Types.Port.Types.PortNameOrNumber { Type = Types.Port.Types.PortNameOrNumber.Types.Type.Number, Number = number }
                : new Types.Port.Types.PortNameOrNumber { Type = Types.Port.Types.PortNameOrNumber.Types.Type.Name, Name = value };
        }

        return model;
    }

    private static Types.Peer Peer(V1NetworkPolicyPeer peer)
    {
        var model = new Types.Peer
        {
            Pods = Selector(peer.PodSelector),
            Namespaces = Selector(peer.NamespaceSelector),
        };
        if (peer.IpBlock is { } block)
        {
            model.IpBlock = new Types.Peer.Types.IPBlock { Cidr = block.Cidr ?? "" };
            model.IpBlock.Except.AddRange(block.Except ?? []);
        }

        return model;
    }
}
