using ContivKsr.Ksr.Conversion;
using k8s.Models;
using PolicyType = ContivKsr.Ksr.Model.Policy.Policy.Types.PolicyType;

namespace ContivKsr.Ksr.Tests.Conversion;

/// <summary>Every NetworkPolicy example of the Kubernetes documentation (concepts/services-networking/network-policies), plus edge cases.</summary>
public sealed class PolicyConverterTests
{
    [Fact]
    public void TheDocumentationsFullExample()
    {
        TestData.AssertJson("""
            {"name":"test-network-policy","namespace":"default",
             "label":[{"key":"app","value":"db"},{"key":"owner","value":"netops"}],
             "pods":{"match_label":[{"key":"role","value":"db"}]},
             "policy_type":"INGRESS_AND_EGRESS",
             "ingress_rule":[{"port":[{"port":{"number":6379}}],
                              "from":[{"ip_block":{"cidr":"172.17.0.0/16","except":["172.17.1.0/24"]}},
                                      {"namespaces":{"match_label":[{"key":"project","value":"myproject"}]}},
                                      {"pods":{"match_label":[{"key":"role","value":"frontend"}]}}]}],
             "egress_rule":[{"port":[{"port":{"number":5978}}],"to":[{"ip_block":{"cidr":"10.0.0.0/24"}}]}]}
            """, Convert("test-network-policy.json"));
    }

    [Fact]
    public void DefaultDenyIngressSelectsAllPodsWithAnEmptySelector() =>
        TestData.AssertJson("""
            {"name":"default-deny-ingress","namespace":"default","pods":{},"policy_type":"INGRESS"}
            """, Convert("default-deny-ingress.json"));

    [Fact]
    public void AllowAllIngressKeepsOneEmptyRule() =>
        TestData.AssertJson("""
            {"name":"allow-all-ingress","namespace":"default","pods":{},"policy_type":"INGRESS","ingress_rule":[{}]}
            """, Convert("allow-all-ingress.json"));

    [Fact]
    public void DefaultDenyEgress() =>
        TestData.AssertJson("""
            {"name":"default-deny-egress","namespace":"default","pods":{},"policy_type":"EGRESS"}
            """, Convert("default-deny-egress.json"));

    [Fact]
    public void AllowAllEgressKeepsOneEmptyRule() =>
        TestData.AssertJson("""
            {"name":"allow-all-egress","namespace":"default","pods":{},"policy_type":"EGRESS","egress_rule":[{}]}
            """, Convert("allow-all-egress.json"));

    [Fact]
    public void DefaultDenyAll() =>
        TestData.AssertJson("""
            {"name":"default-deny-all","namespace":"default","pods":{},"policy_type":"INGRESS_AND_EGRESS"}
            """, Convert("default-deny-all.json"));

    [Fact]
    public void PortRangeIsWrittenAsItsFirstPortForContivsSchemaHasNoEndPort() =>
        TestData.AssertJson("""
            {"name":"multi-port-egress","namespace":"default","pods":{"match_label":[{"key":"role","value":"db"}]},
             "policy_type":"EGRESS",
             "egress_rule":[{"port":[{"port":{"number":32000}}],"to":[{"ip_block":{"cidr":"10.0.0.0/24"}}]}]}
            """, Convert("multi-port-egress.json"));

    [Fact]
    public void APeerWithBothSelectorsKeepsBothUnlikeTwoPeers() =>
        TestData.AssertJson("""
            {"name":"and-vs-or-peers","namespace":"default","pods":{"match_label":[{"key":"role","value":"db"}]},
             "policy_type":"INGRESS",
             "ingress_rule":[
               {"from":[{"pods":{"match_label":[{"key":"role","value":"client"}]},
                         "namespaces":{"match_label":[{"key":"user","value":"alice"}]}}]},
               {"from":[{"namespaces":{"match_label":[{"key":"user","value":"alice"}]}},
                        {"pods":{"match_label":[{"key":"role","value":"client"}]}}]}]}
            """, Convert("and-vs-or-peers.json"));

    [Fact]
    public void NamespaceSelectorWithAnExpression() =>
        TestData.AssertJson("""
            {"name":"egress-namespaces","namespace":"default","pods":{"match_label":[{"key":"app","value":"myapp"}]},
             "policy_type":"EGRESS",
             "egress_rule":[{"to":[{"namespaces":{"match_expression":[{"key":"namespace","value":["frontend","backend"]}]}}]}]}
            """, Convert("egress-namespaces.json"));

    [Fact]
    public void NamedPortsProtocolsOperatorsAndPolicyTypeDefaultedFromTheRules() =>
        TestData.AssertJson("""
            {"name":"named-ports-and-expressions","namespace":"shop",
             "pods":{"match_label":[{"key":"app","value":"api"},{"key":"tier","value":"backend"}],
                     "match_expression":[{"key":"env","operator":"NOT_IN","value":["dev","test"]},
                                         {"key":"canary","operator":"DOES_NOT_EXIST"},
                                         {"key":"owner","operator":"EXISTS"}]},
             "policy_type":"INGRESS_AND_EGRESS",
             "ingress_rule":[{"port":[{"port":{"type":"NAME","name":"http"}},
                                      {"protocol":"UDP","port":{"number":53}},
                                      {"port":{"number":9899}},
                                      {}]}],
             "egress_rule":[{"to":[{"pods":{}}]}]}
            """, Convert("named-ports-and-expressions.json"));

    [Theory]
    [InlineData(null, false, PolicyType.Ingress)]
    [InlineData(null, true, PolicyType.IngressAndEgress)]
    [InlineData("Ingress", true, PolicyType.Ingress)]
    [InlineData("Egress", false, PolicyType.Egress)]
    [InlineData("Ingress,Egress", false, PolicyType.IngressAndEgress)]
    public void PolicyTypeFollowsKubernetesDefaulting(string? types, bool hasEgressRules, PolicyType expected)
    {
        var spec = new V1NetworkPolicySpec
        {
            PodSelector = new V1LabelSelector(),
            PolicyTypes = types?.Split(','),
            Egress = hasEgressRules ? [new V1NetworkPolicyEgressRule()] : null,
        };

        Assert.Equal(expected, PolicyConverter.PolicyType(spec));
    }

    [Fact]
    public void AbsentRulesStayAbsentAndAnEmptyEgressListIsNotAnEgressPolicy()
    {
        var policy = TestData.Parse<V1NetworkPolicy>("""
            {"metadata":{"name":"p","namespace":"n"},"spec":{"podSelector":{},"egress":[]}}
            """);

        TestData.AssertJson("""{"name":"p","namespace":"n","pods":{},"policy_type":"INGRESS"}""", PolicyConverter.Convert(policy));
    }

    [Fact]
    public void AnUnknownSelectorOperatorIsAConversionError()
    {
        var policy = TestData.Parse<V1NetworkPolicy>("""
            {"metadata":{"name":"p","namespace":"n"},
             "spec":{"podSelector":{"matchExpressions":[{"key":"a","operator":"Near"}]}}}
            """);

        var error = Assert.Throws<ConversionException>(() => PolicyConverter.Convert(policy));
        Assert.Contains("Near", error.Message, StringComparison.Ordinal);
    }

    private static Google.Protobuf.IMessage Convert(string file) => PolicyConverter.Convert(TestData.Load<V1NetworkPolicy>("policies/" + file));
}
