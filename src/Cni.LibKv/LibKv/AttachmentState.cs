using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ContivKsr.Cni.LibKv;

/// <summary>
/// What libkv knows about one attachment (network name, container ID, CNI_IFNAME): the delegates
/// it planned and what each returned. Written before the first delegate runs, so DEL and CHECK
/// never need the store, and an ADD cut short still leaves enough to undo it.
/// </summary>
public sealed class AttachmentState
{
    [JsonPropertyName("network")]
    public required string Network { get; set; }

    [JsonPropertyName("containerId")]
    public required string ContainerId { get; set; }

    [JsonPropertyName("ifName")]
    public required string IfName { get; set; }

    [JsonPropertyName("netns")]
    public string? Netns { get; set; }

    [JsonPropertyName("storeKey")]
    public required string StoreKey { get; set; }

    [JsonPropertyName("cniVersion")]
    public required string CniVersion { get; set; }

    [JsonPropertyName("delegates")]
    public required List<DelegateState> Delegates { get; set; }
}

public sealed class DelegateState
{
    [JsonPropertyName("type")]
    public required string Type { get; set; }

    [JsonPropertyName("ifName")]
    public required string IfName { get; set; }

    [JsonPropertyName("cniVersion")]
    public required string CniVersion { get; set; }

    [JsonPropertyName("conf")]
    public required JsonObject Conf { get; set; }

    /// <summary>ADD was started; it may have left something behind, so DEL must visit it.</summary>
    [JsonPropertyName("added")]
    public bool Added { get; set; }

    /// <summary>The delegate's ADD result as it printed it (its own cniVersion).</summary>
    [JsonPropertyName("result")]
    public JsonNode? Result { get; set; }

    public static DelegateState From(DelegatePlan plan) => new()
    {
        Type = plan.Type,
        IfName = plan.IfName,
        CniVersion = plan.CniVersion,
        Conf = plan.Conf,
    };
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AttachmentState))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
