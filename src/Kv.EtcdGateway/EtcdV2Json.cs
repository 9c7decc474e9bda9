using System.Text.Json.Serialization;

namespace ContivKsr.Kv.EtcdGateway;

/// <summary>A v2 keys answer: <c>{"action","node","prevNode"}</c>.</summary>
internal sealed record EtcdV2Response(string? Action, EtcdV2Node? Node);

/// <summary>A v2 node: a value, or a directory (<c>dir</c>) whose children are in <c>nodes</c> when asked for.</summary>
internal sealed record EtcdV2Node(string Key, string? Value, bool Dir, List<EtcdV2Node>? Nodes, long ModifiedIndex, long CreatedIndex);

/// <summary>A v2 error: <c>{"errorCode","message","cause","index"}</c> (etcd's v2error package).</summary>
internal sealed record EtcdV2Error(int ErrorCode, string? Message, string? Cause, long Index);

/// <summary>Source-generated (AOT-safe) JSON for etcd's v2 keys API, whose fields are camelCase.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(EtcdV2Response))]
[JsonSerializable(typeof(EtcdV2Error))]
internal sealed partial class EtcdV2JsonContext : JsonSerializerContext;
