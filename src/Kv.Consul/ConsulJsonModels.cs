using System.Text.Json.Serialization;

namespace ContivKsr.Kv.Consul;

/// <summary>One key as Consul's KV endpoint and /v1/txn return it. <see cref="Value"/> travels base64-encoded.</summary>
internal sealed class ConsulKvEntry
{
    public string Key { get; set; } = "";

    public ulong CreateIndex { get; set; }

    public ulong ModifyIndex { get; set; }

    public ulong LockIndex { get; set; }

    public ulong Flags { get; set; }

    public byte[]? Value { get; set; }

    public string? Session { get; set; }
}

/// <summary>One element of a /v1/txn request body: <c>{"KV": {...}}</c>.</summary>
internal sealed class ConsulTxnOperation
{
    [JsonPropertyName("KV")]
    public required ConsulTxnKvOperation Kv { get; init; }
}

/// <summary>A KV verb of a transaction (set, cas, lock, get, delete, delete-tree, delete-cas, ...).</summary>
internal sealed class ConsulTxnKvOperation
{
    public required string Verb { get; init; }

    public required string Key { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public byte[]? Value { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Index { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Session { get; init; }
}

/// <summary>The body of a 200 (applied) or 409 (rolled back) /v1/txn answer.</summary>
internal sealed class ConsulTxnResponse
{
    public List<ConsulTxnResult>? Results { get; set; }

    public List<ConsulTxnError>? Errors { get; set; }
}

internal sealed class ConsulTxnResult
{
    [JsonPropertyName("KV")]
    public ConsulKvEntry? Kv { get; set; }
}

internal sealed class ConsulTxnError
{
    public int OpIndex { get; set; }

    public string What { get; set; } = "";
}

/// <summary>The body of PUT /v1/session/create. Durations are Go duration strings ("15s").</summary>
internal sealed class ConsulSessionCreateRequest
{
    public string? Name { get; init; }

    [JsonPropertyName("TTL")]
    public string? Ttl { get; init; }

    public string? Behavior { get; init; }

    public string? LockDelay { get; init; }
}

internal sealed class ConsulSessionCreated
{
    [JsonPropertyName("ID")]
    public string Id { get; set; } = "";
}
