using System.Text.Json.Nodes;
using Google.Protobuf;
using k8s;
using ContivKsr.Ksr.Store;

namespace ContivKsr.Ksr.Tests;

/// <summary>Real Kubernetes object JSON from Data/, and JSON comparison of encoded values.</summary>
internal static class TestData
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    public static T Load<T>(string name) => KubernetesJson.Deserialize<T>(File.ReadAllText(PathOf(name)));

    public static T Parse<T>(string json) => KubernetesJson.Deserialize<T>(json);

    public static string Json(IMessage message) => System.Text.Encoding.UTF8.GetString(new ValueCodec(ValueFormat.Json).Encode(message));

    public static void AssertJsonText(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected:\n{JsonNode.Parse(expected)!.ToJsonString()}\nactual:\n{actual}");

    /// <summary>Asserts the message's proto3 JSON (as written to the store) equals the expected JSON, ignoring whitespace.</summary>
    public static void AssertJson(string expected, IMessage message)
    {
        var actual = Json(message);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected:\n{JsonNode.Parse(expected)!.ToJsonString()}\nactual:\n{JsonNode.Parse(actual)!.ToJsonString()}");
    }
}
