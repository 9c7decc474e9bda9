using ContivKsr.Ksr.Kinds;
using ContivKsr.Ksr.Store;
using Google.Protobuf;

namespace ContivKsr.Ksr.Tests.Conversion;

/// <summary>
/// Kubernetes objects in the shapes of the Kubernetes documentation, converted and encoded: the
/// exact bytes expected in the store, JSON and binary (Data/golden/CASE.value.json and .hex). The
/// expected JSON is what golang/protobuf 1.3's jsonpb (OrigName), the Go KSR's writer, prints for
/// the message, and the hex what Go's proto.Marshal gives for it.
/// </summary>
public sealed class GoldenValueTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "service-clusterip", "golden/service-clusterip.k8s.json" },
        { "service-nodeport-named-targets", "golden/service-nodeport-named-targets.k8s.json" },
        { "service-loadbalancer", "golden/service-loadbalancer.k8s.json" },
        { "service-externalname", "golden/service-externalname.k8s.json" },
        { "service-headless", "golden/service-headless.k8s.json" },
        { "service-session-affinity", "golden/service-session-affinity.k8s.json" },
        { "service-session-affinity-default", "golden/service-session-affinity-default.k8s.json" },
        { "endpoints-target-refs", "golden/endpoints-target-refs.k8s.json" },
        { "endpoints-without-subsets", "golden/endpoints-without-subsets.k8s.json" },
        { "node-addresses-and-system-info", "golden/node-addresses-and-system-info.k8s.json" },
        { "node-just-registered", "golden/node-just-registered.k8s.json" },
        { "namespace-labels", "namespace.json" },
        { "pod-multi-container", "pod-multi-container.json" },
        { "pod-pending", "pod-pending.json" },
        { "policy-docs-example", "policies/test-network-policy.json" },
        { "policy-named-ports-and-expressions", "policies/named-ports-and-expressions.json" },
        { "policy-port-range", "policies/multi-port-egress.json" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void JsonIsByteForByteWhatJsonpbWrites(string name, string input)
    {
        var expected = File.ReadAllText(TestData.PathOf($"golden/{name}.value.json"));

        var actual = System.Text.Encoding.UTF8.GetString(new ValueCodec(ValueFormat.Json).Encode(Convert(name, input)));

        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BinaryIsByteForByteWhatGoMarshals(string name, string input)
    {
        var expected = File.ReadAllText(TestData.PathOf($"golden/{name}.value.hex"));

        Assert.Equal(expected, System.Convert.ToHexStringLower(new ValueCodec(ValueFormat.Binary).Encode(Convert(name, input))));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BothFormsDecodeToTheSameMessageWithUnknownFieldsRejected(string name, string input)
    {
        var message = Convert(name, input);
        var model = KindOf(name).Model;

        foreach (var format in Enum.GetValues<ValueFormat>())
        {
            var codec = new ValueCodec(format);
            Assert.Equal(message, codec.Decode(model, codec.Encode(message)));
        }
    }

    /// <summary>The case's prefix names the kind ("service-...").</summary>
    internal static ResourceKind KindOf(string name) =>
        ResourceKind.Find(name[..name.IndexOf('-', StringComparison.Ordinal)]) ?? throw new ArgumentOutOfRangeException(nameof(name), name, null);

    private static IMessage Convert(string name, string input) => KindSamples.Convert(KindOf(name), File.ReadAllText(TestData.PathOf(input)));
}
