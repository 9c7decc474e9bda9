using System.Text.Json.Serialization;

namespace ContivKsr.Cni.Cni;

/// <summary>The spec's error object: <c>{"cniVersion","code","msg","details"}</c>.</summary>
public sealed record CniError(
    [property: JsonPropertyName("cniVersion")] string CniVersion,
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("details")] string? Details);
