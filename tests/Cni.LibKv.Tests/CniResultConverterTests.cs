using System.Text;
using System.Text.Json.Nodes;
using ContivKsr.Cni.Cni;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>Result conversion between spec versions, in process (the binary runs the same code).</summary>
public sealed class CniResultConverterTests
{
    private const string Result110 = """
        {"cniVersion":"1.1.0","interfaces":[{"name":"eth0","mac":"aa:bb:cc:dd:ee:ff","mtu":1400,"sandbox":"/var/run/netns/x","socketPath":"/s","pciID":"0000:00:01.0"}],
         "ips":[{"interface":0,"address":"10.1.2.3/24","gateway":"10.1.2.1"},{"interface":0,"address":"fd00::3/64"}],
         "routes":[{"dst":"0.0.0.0/0","gw":"10.1.2.1","mtu":1400,"advmss":1360,"priority":5,"table":100,"scope":0}],
         "dns":{"nameservers":["10.1.2.1"],"domain":"example","search":["a"],"options":["ndots:2"]}}
        """;

    [Fact]
    public void SameVersionIsReturnedByteForByte()
    {
        var input = Encoding.UTF8.GetBytes(Result110 + " ");
        Assert.Equal(input, CniResultConverter.Convert(input, "1.1.0", "1.1.0", "test"));
    }

    [Theory]
    [InlineData("0.3.0")]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    public void DownToPre100AddsIpFamiliesAndDrops110Fields(string target)
    {
        var converted = Convert(Result110, "1.1.0", target);

        Assert.Equal(target, (string)converted["cniVersion"]!);
        Assert.Equal("4", (string)converted["ips"]![0]!["version"]!);
        Assert.Equal("6", (string)converted["ips"]![1]!["version"]!);
        Assert.Equal(0, (int)converted["ips"]![0]!["interface"]!);
        Assert.Null(converted["interfaces"]![0]!["mtu"]);
        Assert.Null(converted["interfaces"]![0]!["socketPath"]);
        Assert.Null(converted["routes"]![0]!["table"]);
        Assert.Equal("10.1.2.1", (string)converted["routes"]![0]!["gw"]!);
        Assert.Equal("ndots:2", (string)converted["dns"]!["options"]![0]!);
    }

    [Fact]
    public void UpFrom040DropsIpFamilies()
    {
        var converted = Convert("""{"cniVersion":"0.4.0","ips":[{"version":"4","address":"10.0.0.2/24","interface":0}],"interfaces":[{"name":"eth0"}]}""", "0.4.0", "1.0.0");

        Assert.Equal("1.0.0", (string)converted["cniVersion"]!);
        Assert.Null(converted["ips"]![0]!["version"]);
        Assert.Equal("10.0.0.2/24", (string)converted["ips"]![0]!["address"]!);
    }

    [Fact]
    public void To100Keeps100FieldsAndDrops110Ones()
    {
        var converted = Convert(Result110, "1.1.0", "1.0.0");

        Assert.Null(converted["routes"]![0]!["priority"]);
        Assert.Equal("aa:bb:cc:dd:ee:ff", (string)converted["interfaces"]![0]!["mac"]!);
        Assert.Null(converted["ips"]![0]!["version"]);
    }

    [Fact]
    public void ResultWithoutVersionIsTakenInTheRequestedOne()
    {
        var converted = Convert("""{"ips":[{"address":"10.0.0.2/24"}]}""", "1.0.0", "0.4.0");
        Assert.Equal("4", (string)converted["ips"]![0]!["version"]!);
    }

    [Theory]
    [InlineData("not json", 6)]
    [InlineData("[1]", 6)]
    [InlineData("""{"cniVersion":"0.2.0","ip4":{"ip":"10.0.0.2/24"}}""", 1)]
    public void UnusableResultsAreErrors(string result, int code)
    {
        var error = Assert.Throws<CniException>(() => CniResultConverter.Convert(Encoding.UTF8.GetBytes(result), "1.0.0", "0.4.0", "test"));
        Assert.Equal(code, error.Code);
    }

    private static JsonObject Convert(string result, string from, string to) =>
        JsonNode.Parse(CniResultConverter.Convert(Encoding.UTF8.GetBytes(result), from, to, "test"))!.AsObject();
}
