using System.Text.Json.Serialization;

namespace ContivKsr.Cni.Cni;

/// <summary>Source-generated (AOT-safe) JSON for the spec's own types.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CniResult))]
[JsonSerializable(typeof(CniError))]
[JsonSerializable(typeof(CniVersionInfo))]
internal sealed partial class CniJsonContext : JsonSerializerContext;

/// <summary>NetConfs stay JSON nodes so fields libkv does not know pass through to delegates untouched.</summary>
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonNode))]
internal sealed partial class CniNodeJsonContext : JsonSerializerContext;
