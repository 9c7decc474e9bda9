using System.Text;
using ContivKsr.Ksr.Kinds;
using ContivKsr.Ksr.Model.Pod;
using ContivKsr.Ksr.Store;
using Google.Protobuf;

namespace ContivKsr.Ksr.Tests.Conversion;

/// <summary>What counts as the same value when a stored one's bytes differ from ours.</summary>
public sealed class ValueEquivalenceTests
{
    // What this daemon writes for Data/pod-multi-container.json.
    private const string Ours = """{"name":"web-7d4b9c-x2k9p","namespace":"shop","label":[{"key":"app","value":"web"},{"key":"pod-template-hash","value":"7d4b9c"},{"key":"tier","value":"frontend"}],"ip_address":"10.1.1.5","host_ip_address":"192.168.16.10","container":[{"name":"nginx","port":[{"name":"http","container_port":80},{"name":"https","host_port":8443,"container_port":443,"host_ip_address":"192.168.16.10"}]},{"name":"dns-sidecar","port":[{"name":"dns","container_port":53,"protocol":"UDP"},{"name":"sig","container_port":9899}]},{"name":"log-shipper"}],"annotations":{"contivpp.io/custom-if":"memif1/memif","contivpp.io/microservice-label":"web"},"labels":{"app":"web","pod-template-hash":"7d4b9c","tier":"frontend"}}""";

    private static readonly ValueEquivalence Json = new(new ValueCodec(ValueFormat.Json));

    private static readonly ValueEquivalence Binary = new(new ValueCodec(ValueFormat.Binary));

    [Fact]
    public void TheGoKsrsLabelOrderIsTheSameValue() =>
        Assert.True(Same(Ours.Replace(
            """[{"key":"app","value":"web"},{"key":"pod-template-hash","value":"7d4b9c"},{"key":"tier","value":"frontend"}]""",
            """[{"key":"tier","value":"frontend"},{"key":"app","value":"web"},{"key":"pod-template-hash","value":"7d4b9c"}]""",
            StringComparison.Ordinal)));

    [Fact]
    public void OtherSpacingFieldOrderAndCamelCaseNamesAreTheSameValue()
    {
        var message = new ValueCodec(ValueFormat.Json).Decode<Pod>(Encoding.UTF8.GetBytes(Ours));
        var spaced = new JsonFormatter(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true)).Format(message);
        var camel = JsonFormatter.Default.Format(message);
        Assert.Contains("\"ip_address\": ", spaced, StringComparison.Ordinal);
        Assert.Contains("\"ipAddress\"", camel, StringComparison.Ordinal);

        Assert.True(Same(spaced));
        Assert.True(Same(camel));
        Assert.True(Same(Ours.Replace("\"annotations\":{},", "", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("\"value\":\"frontend\"", "\"value\":\"backend\"")]
    [InlineData("{\"key\":\"tier\",\"value\":\"frontend\"}", "{\"key\":\"tier\",\"value\":\"frontend\"},{\"key\":\"tier\",\"value\":\"frontend\"}")]
    [InlineData("\"tier\":\"frontend\"}}", "\"tier\":\"backend\"}}")]
    [InlineData("\"10.1.1.5\"", "\"10.1.1.6\"")]
    [InlineData(",\"contivpp.io/microservice-label\":\"web\"", "")]
    public void ARealDifferenceIsNeverHidden(string part, string replacement)
    {
        var changed = Ours.Replace(part, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Ours, changed);

        Assert.False(Same(changed));
    }

    [Fact]
    public void ContainersAndPortsAreListsWhoseOrderCounts()
    {
        var reordered = Ours.Replace(
            """{"name":"http","container_port":80},{"name":"https","host_port":8443,"container_port":443,"host_ip_address":"192.168.16.10"}""",
            """{"name":"https","host_port":8443,"container_port":443,"host_ip_address":"192.168.16.10"},{"name":"http","container_port":80}""",
            StringComparison.Ordinal);

        Assert.False(Same(reordered));
    }

    [Theory]
    [InlineData("""{"name":"web-7d4b9c-x2k9p","pod_cidrs":["10.1.1.0/24"]}""")]
    [InlineData("not json")]
    [InlineData("")]
    public void AValueAgentsCannotReadIsNeverTheSame(string stored) => Assert.False(Same(stored));

    [Fact]
    public void MatchLabelsAtAnyDepthAreSets()
    {
        const string Policy = """{"name":"p","namespace":"n","pods":{"match_label":[{"key":"a","value":"1"},{"key":"b","value":"2"}]},"policy_type":"INGRESS","ingress_rule":[{"from":[{"pods":{"match_label":[{"key":"x","value":"1"},{"key":"y","value":"2"}]}}]}]}""";
        var goOrder = Policy
            .Replace("""{"key":"a","value":"1"},{"key":"b","value":"2"}""", """{"key":"b","value":"2"},{"key":"a","value":"1"}""", StringComparison.Ordinal)
            .Replace("""{"key":"x","value":"1"},{"key":"y","value":"2"}""", """{"key":"y","value":"2"},{"key":"x","value":"1"}""", StringComparison.Ordinal);

        Assert.True(Json.Equivalent(ResourceKind.Policy, Encoding.UTF8.GetBytes(goOrder), Encoding.UTF8.GetBytes(Policy)));
        Assert.False(Json.Equivalent(ResourceKind.Policy, Encoding.UTF8.GetBytes(goOrder.Replace("\"y\"", "\"z\"", StringComparison.Ordinal)), Encoding.UTF8.GetBytes(Policy)));
    }

    [Fact]
    public void BinaryValuesInGoMapAndLabelOrderAreTheSameButUnknownFieldsAreNot()
    {
        var ours = new Pod { Name = "p" };
        ours.Label.Add(new Pod.Types.Label { Key = "a", Value = "1" });
        ours.Label.Add(new Pod.Types.Label { Key = "b", Value = "2" });
        ours.Label.Add(new Pod.Types.Label { Key = "c", Value = "" });
        ours.Labels.Add("a", "1");
        ours.Labels.Add("b", "2");
        ours.Labels.Add("c", "");
        // As Go marshals it: the list in map order, map entries in random order, an empty map value written out.
        var go = Convert.FromHexString(
            "0a0170" + "1a030a0163" + "1a060a0162120132" + "1a060a0161120131" +
            "42060a0162120132" + "42050a01631200" + "42060a0161120131");

        Assert.True(Binary.Equivalent(ResourceKind.Pod, go, ours.ToByteArray()));
        Assert.False(Binary.Equivalent(ResourceKind.Pod, [.. go, 0x78, 0x01], ours.ToByteArray()));
    }

    private static bool Same(string stored) => Json.Equivalent(ResourceKind.Pod, Encoding.UTF8.GetBytes(stored), Encoding.UTF8.GetBytes(Ours));
}
