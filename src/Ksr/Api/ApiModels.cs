using System.Text.Json.Serialization;

namespace ContivKsr.Ksr.Api;

public sealed record LoggerLevel([property: JsonPropertyName("logger")] string Logger, [property: JsonPropertyName("level")] string Level);

public sealed record ErrorBody([property: JsonPropertyName("error")] string Error);

/// <summary>The probe answer; "OK" or "ERROR" as contiv's status check reported, with the reason.</summary>
public sealed record ProbeStatus(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("leader")] bool? Leader);

public sealed record ReflectorStatsView(
    [property: JsonPropertyName("adds")] long Adds,
    [property: JsonPropertyName("updates")] long Updates,
    [property: JsonPropertyName("deletes")] long Deletes,
    [property: JsonPropertyName("unchanged")] long Unchanged,
    [property: JsonPropertyName("resyncs")] long Resyncs,
    [property: JsonPropertyName("resync_fixes")] long ResyncFixes,
    [property: JsonPropertyName("relists")] long Relists,
    [property: JsonPropertyName("errors")] IReadOnlyDictionary<string, long> Errors);

public sealed record StoreStatsView(
    [property: JsonPropertyName("batches")] long Batches,
    [property: JsonPropertyName("operations")] long Operations,
    [property: JsonPropertyName("write_errors")] long WriteErrors,
    [property: JsonPropertyName("probe_errors")] long ProbeErrors,
    [property: JsonPropertyName("reconnects")] long Reconnects,
    [property: JsonPropertyName("data_loss")] long DataLoss,
    [property: JsonPropertyName("write_latency")] LatencyView WriteLatency);

/// <summary>How many writes were timed and their total time; /metrics has the histogram's buckets.</summary>
public sealed record LatencyView(
    [property: JsonPropertyName("count")] long Count,
    [property: JsonPropertyName("sum_ms")] double SumMilliseconds);

public sealed record StatsView(
    [property: JsonPropertyName("ready")] bool Ready,
    [property: JsonPropertyName("reflectors")] IReadOnlyDictionary<string, ReflectorStatsView> Reflectors,
    [property: JsonPropertyName("store")] StoreStatsView Store);

[JsonSerializable(typeof(LoggerLevel))]
[JsonSerializable(typeof(List<LoggerLevel>))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(ProbeStatus))]
[JsonSerializable(typeof(StatsView))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
public sealed partial class KsrJsonContext : JsonSerializerContext;
