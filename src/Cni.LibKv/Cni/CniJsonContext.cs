using System.Text.Json.Serialization;

namespace ContivKsr.Cni.Cni;

/// <summary>Source-generated (AOT-safe) JSON for the spec's own types.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CniResult))]
[JsonSerializable(typeof(CniLegacyResult))]
[JsonSerializable(typeof(CniError))]
[JsonSerializable(typeof(CniVersionInfo))]
internal sealed partial class CniJsonContext : JsonSerializerContext;
