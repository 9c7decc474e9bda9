using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContivKsr.TestSupport.Consul;

/// <summary>A stored key, immutable so that a transaction can restore the previous one on rollback.</summary>
internal sealed record EmulatedEntry(string Key, byte[] Value, ulong Flags, ulong CreateIndex, ulong ModifyIndex, ulong LockIndex, string? Session)
{
    /// <summary>The JSON Consul returns for a key (Value base64, null when empty).</summary>
    public KvEntryJson ToJson(bool withValue = true) => new()
    {
        Key = Key,
        CreateIndex = CreateIndex,
        ModifyIndex = ModifyIndex,
        LockIndex = LockIndex,
        Flags = Flags,
        Value = withValue && Value.Length > 0 ? Value : null,
        Session = Session,
    };
}

/// <summary>A session: its TTL timer is reset by renew; when it runs out the session is invalidated.</summary>
internal sealed class EmulatedSession
{
    public required string Id { get; init; }

    public string Name { get; init; } = "";

    public TimeSpan Ttl { get; init; }

    /// <summary>The TTL as the client wrote it; Consul stores and returns the string unchanged.</summary>
    public string TtlText { get; init; } = "";

    public TimeSpan LockDelay { get; init; }

    /// <summary>"release" or "delete": what happens to the keys it holds when it is invalidated.</summary>
    public required string Behavior { get; init; }

    public ulong CreateIndex { get; init; }

    /// <summary>When the TTL runs out (null without a TTL).</summary>
    public DateTime? ExpiresAt { get; set; }

    public SessionJson ToJson() => new()
    {
        Id = Id,
        Name = Name,
        Node = ConsulEmulator.NodeName,
        LockDelay = LockDelay.Ticks * 100,
        Behavior = Behavior,
        Ttl = TtlText,
        NodeChecks = ["serfHealth"],
        ServiceChecks = null,
        CreateIndex = CreateIndex,
        ModifyIndex = CreateIndex,
    };
}

internal sealed class KvEntryJson
{
    public string Key { get; set; } = "";

    public ulong CreateIndex { get; set; }

    public ulong ModifyIndex { get; set; }

    public ulong LockIndex { get; set; }

    public ulong Flags { get; set; }

    public byte[]? Value { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Session { get; set; }
}

internal sealed class SessionJson
{
    [JsonPropertyName("ID")]
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string Node { get; set; } = "";

    /// <summary>Nanoseconds, as Go's time.Duration marshals.</summary>
    public long LockDelay { get; set; }

    public string Behavior { get; set; } = "";

    [JsonPropertyName("TTL")]
    public string Ttl { get; set; } = "";

    public List<string>? NodeChecks { get; set; }

    public List<string>? ServiceChecks { get; set; }

    public ulong CreateIndex { get; set; }

    public ulong ModifyIndex { get; set; }
}

/// <summary>The body of PUT /v1/session/create; LockDelay and TTL may be strings ("15s") or numbers, as Consul accepts.</summary>
internal sealed class SessionCreateJson
{
    public string? Name { get; set; }

    public string? Node { get; set; }

    public JsonElement? LockDelay { get; set; }

    public string? Behavior { get; set; }

    [JsonPropertyName("TTL")]
    public string? Ttl { get; set; }
}

internal sealed class TxnOpJson
{
    [JsonPropertyName("KV")]
    public TxnKvJson? Kv { get; set; }

    public JsonElement? Node { get; set; }

    public JsonElement? Service { get; set; }

    public JsonElement? Check { get; set; }
}

internal sealed class TxnKvJson
{
    public string Verb { get; set; } = "";

    public string Key { get; set; } = "";

    public byte[]? Value { get; set; }

    public ulong Flags { get; set; }

    public ulong Index { get; set; }

    public string? Session { get; set; }
}

internal sealed class TxnResultJson
{
    [JsonPropertyName("KV")]
    public KvEntryJson? Kv { get; set; }
}

internal sealed class TxnErrorJson
{
    public int OpIndex { get; set; }

    public string What { get; set; } = "";
}

internal sealed class TxnResponseJson
{
    public List<TxnResultJson>? Results { get; set; }

    public List<TxnErrorJson>? Errors { get; set; }
}

/// <summary>Consul's JSON spelling: PascalCase out, case-insensitive in (as Go's decoder).</summary>
internal static class EmulatorJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        PropertyNamingPolicy = null,
    };
}
