using ContivKsr.Ksr.Model.Namespace;
using ContivKsr.Ksr.Model.Policy;
using ContivKsr.Ksr.Model.Pod;
using ContivKsr.Ksr.Store;

namespace ContivKsr.Ksr.Tests.Conversion;

/// <summary>The jsonpb form in its corners; each expected text is what golang/protobuf 1.3's jsonpb printed for the message.</summary>
public sealed class JsonpbFormatterTests
{
    private static readonly JsonpbFormatter Formatter = new(ValueCodec.GoAllocatedMaps);

    [Fact]
    public void StringsAreEscapedAsGosEncodingJsonEscapesThem()
    {
        var message = new Namespace { Name = "a<b>&c\"d\\e\n\r\t\b\f\u0001\u001f\u007f é€😀\u2028\u2029/" };

        // DEL (U+007F) stays as it is.
        Assert.Equal("""{"name":"a\u003cb\u003e\u0026c\"d\\e\n\r\t\u0008\u000c\u0001\u001f""" + "\u007f" + """ é€😀\u2028\u2029/"}""", Formatter.Format(message));
    }

    [Fact]
    public void ALoneSurrogateIsWrittenAsTheReplacementCharacterAsGoWritesInvalidUtf8() =>
        Assert.Equal("""{"name":"x\ufffdy"}""", Formatter.Format(new Namespace { Name = "x\ud800y" }));

    [Fact]
    public void FieldsComeInDeclarationOrderNotNumberOrder()
    {
        var port = new Policy.Types.Port
        {
            Protocol = Policy.Types.Port.Types.Protocol.Udp,
            Port_ = new Policy.Types.Port.Types.PortNameOrNumber { Number = 53 },
        };

        Assert.Equal("""{"protocol":"UDP","port":{"number":53}}""", Formatter.Format(port));
    }

    [Fact]
    public void AnUnknownEnumNumberIsABareNumberAndDefaultsAreLeftOut() =>
        Assert.Equal("""{"policy_type":7}""", Formatter.Format(new Policy { PolicyType = (Policy.Types.PolicyType)7, Namespace = "" }));

    [Fact]
    public void AnEmptySetMessageIsWrittenAndMapsAreSortedByKey()
    {
        var policy = new Policy { Pods = new Policy.Types.LabelSelector() };
        var pod = new Pod();
        pod.Labels["b"] = "2";
        pod.Labels["a"] = "";

        Assert.Equal("""{"pods":{}}""", Formatter.Format(policy));
        Assert.Equal("""{"annotations":{},"labels":{"a":"","b":"2"}}""", Formatter.Format(pod));
    }

    [Fact]
    public void OnlyTheMapsTheGoConvertersAllocatedAreWrittenEmpty() =>
        Assert.Equal("{}", new JsonpbFormatter(new HashSet<string>()).Format(new Pod()));
}
