using System.Text.Json.Serialization;

namespace ContivKsr.Kv.Stores.Etcd;

// The subset of etcd's gRPC-gateway JSON (etcdserverpb, proto3 JSON: bytes as base64, int64 as
// strings) that EtcdGatewayReader uses.

internal sealed record EtcdRangeRequest([property: JsonPropertyName("key")] string Key);

internal sealed record EtcdRangeResponse
{
    [JsonPropertyName("kvs")]
    public List<EtcdKeyValue>? Kvs { get; init; }
}

internal sealed record EtcdKeyValue
{
    [JsonPropertyName("key")]
    public string? Key { get; init; }

    [JsonPropertyName("value")]
    public string? Value { get; init; }

    [JsonPropertyName("mod_revision")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public long ModRevision { get; init; }
}

internal sealed record EtcdAuthenticateRequest(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("password")] string Password);

internal sealed record EtcdAuthenticateResponse
{
    [JsonPropertyName("token")]
    public string? Token { get; init; }
}

internal sealed record EtcdGatewayError
{
    [JsonPropertyName("code")]
    public int Code { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }
}

[JsonSerializable(typeof(EtcdRangeRequest))]
[JsonSerializable(typeof(EtcdRangeResponse))]
[JsonSerializable(typeof(EtcdAuthenticateRequest))]
[JsonSerializable(typeof(EtcdAuthenticateResponse))]
[JsonSerializable(typeof(EtcdGatewayError))]
internal sealed partial class EtcdGatewayJsonContext : JsonSerializerContext;
