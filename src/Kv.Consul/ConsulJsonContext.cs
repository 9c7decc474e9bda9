using System.Text.Json.Serialization;

namespace ContivKsr.Kv.Consul;

/// <summary>
/// Source-generated (de)serialisers for Consul's JSON, so the backend needs no reflection and stays
/// usable from the Native AOT CNI plugin. Consul spells its fields in PascalCase, as the C# names are.
/// </summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(List<ConsulKvEntry>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(List<ConsulTxnOperation>))]
[JsonSerializable(typeof(ConsulTxnResponse))]
[JsonSerializable(typeof(ConsulSessionCreateRequest))]
[JsonSerializable(typeof(ConsulSessionCreated))]
[JsonSerializable(typeof(bool))]
internal sealed partial class ConsulJsonContext : JsonSerializerContext;
