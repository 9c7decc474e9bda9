using System.Text;
using ContivKsr.Cni.Cni;
using ContivKsr.Cni.LibKv.Tests.Support;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>
/// Result conversion between every pair of spec versions against the golden files (exact JSON), in
/// process (the binary runs the same code). LibCniTests checks the same files against libcni itself.
/// </summary>
public sealed class CniResultConverterTests
{
    public static TheoryData<string, string> OrderedPairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var (from, to) in ConversionGoldens.Pairs())
        {
            data.Add(from, to);
        }

        return data;
    }

    public static TheoryData<string> Versions => new(ConversionGoldens.Versions);

    public static TheoryData<string> Cases => new(ConversionGoldens.Cases().Select(c => c.Name));

    [Theory]
    [MemberData(nameof(OrderedPairs))]
    public void ConvertsEveryPairAsTheGoldenFileSays(string from, string to)
    {
        var (input, expected) = ConversionGoldens.Pair(from, to);
        Assert.Equal(expected, Convert(input, from, to));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ConvertsOrRefusesEachCaseAsTheGoldenFileSays(string name)
    {
        var c = ConversionGoldens.Case(name);
        if (c.Error is { } code)
        {
            var error = Assert.Throws<CniException>(() => Convert(c.Input, c.From, c.To));
            Assert.Equal(code, error.Code);
        }
        else
        {
            Assert.Equal(c.Expected, Convert(c.Input, c.From, c.To));
        }
    }

    /// <summary>libkv's hot path: a result that states the wanted version is not reparsed.</summary>
    [Theory]
    [MemberData(nameof(Versions))]
    public void SameVersionIsReturnedByteForByte(string version)
    {
        var (input, _) = ConversionGoldens.Pair(version, version == "1.1.0" ? "1.0.0" : "1.1.0");
        var bytes = Encoding.UTF8.GetBytes(input.Replace("{", "{ \"unknownToTheSpec\": [1, 2],", StringComparison.Ordinal) + "\n ");
        Assert.Equal(bytes, CniResultConverter.Convert(bytes, version, version, "test"));
    }

    [Theory]
    [InlineData("1.0.0", "{\"cniVersion\":\"1.0.0\"}")]
    [InlineData("0.4.0", "{\"cniVersion\":\"0.4.0\"}")]
    public void AnEmptyOutputIsAnEmptyResult(string target, string expected) =>
        Assert.Equal(expected, Encoding.UTF8.GetString(CniResultConverter.Convert([], "1.0.0", target, "test")));

    [Fact]
    public void AnEmptyOutputCannotBeExpressedIn020()
    {
        var error = Assert.Throws<CniException>(() => CniResultConverter.Convert([], "1.0.0", "0.2.0", "test"));
        Assert.Equal(CniErrorCode.IncompatibleVersion, error.Code);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1]")]
    [InlineData("\"1.0.0\"")]
    [InlineData("{\"cniVersion\":\"0.4.0\",\"ips\":[")]
    public void OutputThatIsNotAnObjectIsCode6(string result)
    {
        var error = Assert.Throws<CniException>(() => CniResultConverter.Convert(Encoding.UTF8.GetBytes(result), "1.0.0", "0.4.0", "test"));
        Assert.Equal(CniErrorCode.DecodingFailure, error.Code);
    }

    [Fact]
    public void ANodeInTheWantedVersionIsTheSameNode()
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse("""{"cniVersion":"0.4.0","ips":[{"address":"10.0.0.2/24"}]}""")!;
        Assert.Same(node, CniResultConverter.Convert(node, "0.4.0", "0.4.0", "test"));
        Assert.Equal("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/24"}]}""", CniResultConverter.Convert(node, "0.4.0", "1.0.0", "test").ToJsonString());
    }

    private static string Convert(string result, string from, string to) =>
        Encoding.UTF8.GetString(CniResultConverter.Convert(Encoding.UTF8.GetBytes(result), from, to, "test"));
}
