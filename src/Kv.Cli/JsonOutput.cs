using System.Text;
using System.Text.Json.Serialization;

namespace ContivKsr.Kv.Cli;

/// <summary>A pair as JSON. Values that are not UTF-8 text go to valueBase64 instead of value.</summary>
internal sealed record PairJson(string Key, string? Value, long LastIndex)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ValueBase64 { get; init; }

    public static PairJson From(KvPair pair) => TryDecode(pair.Value) is { } text
        ? new PairJson(pair.Key, text, pair.LastIndex)
        : new PairJson(pair.Key, null, pair.LastIndex) { ValueBase64 = Convert.ToBase64String(pair.Value) };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string? TryDecode(byte[] value)
    {
        try
        {
            return StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}

/// <summary>One watch event as JSON: "put" or "delete", and the pair.</summary>
internal sealed record EventJson(string Event, string Key, string? Value, long LastIndex)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ValueBase64 { get; init; }

    public static EventJson From(KvWatchEvent change)
    {
        var pair = PairJson.From(change.Pair);
        var kind = change.Kind == KvEventKind.Delete ? "delete" : "put";
        return new EventJson(kind, pair.Key, pair.Value, pair.LastIndex) { ValueBase64 = pair.ValueBase64 };
    }
}

/// <summary>Source-generated serialisers: no reflection, so kvctl can be trimmed and AOT-compiled.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PairJson))]
[JsonSerializable(typeof(EventJson))]
[JsonSerializable(typeof(List<PairJson>))]
internal sealed partial class KvctlJsonContext : JsonSerializerContext;
