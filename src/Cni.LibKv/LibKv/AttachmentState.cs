using System.Text.Json;
using System.Text.Json.Nodes;
using ContivKsr.Cni.Cni;

namespace ContivKsr.Cni.LibKv;

/// <summary>
/// What libkv knows about one attachment (network name, container ID, CNI_IFNAME): the delegates
/// it planned and what each returned. Written before the first delegate runs, so DEL and CHECK
/// never need the store, and an ADD cut short still leaves enough to undo it.
/// </summary>
/// <remarks>
/// Kept as a JSON node tree rather than through JsonSerializer: the NetConfs and results inside are
/// node trees anyway, and building serializer metadata for these types was measured at about a
/// fifth of a DEL's own time.
/// </remarks>
public sealed class AttachmentState
{
    public required string Network { get; set; }

    public required string ContainerId { get; set; }

    public required string IfName { get; set; }

    public string? Netns { get; set; }

    public required string StoreKey { get; set; }

    public required string CniVersion { get; set; }

    public required List<DelegateState> Delegates { get; set; }

    /// <summary>Read from the Go libkv's scratch file, which holds no results: CHECK runs without prevResult.</summary>
    public bool FromGoLibKv { get; init; }

    /// <summary>Written field by field: a node tree of new strings would build JsonSerializer's string converter (≈ 55 µs).</summary>
    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("network", Network);
        w.WriteString("containerId", ContainerId);
        w.WriteString("ifName", IfName);
        w.WriteString("netns", Netns);
        w.WriteString("storeKey", StoreKey);
        w.WriteString("cniVersion", CniVersion);
        w.WriteStartArray("delegates");
        foreach (var d in Delegates)
        {
            d.WriteTo(w);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <exception cref="FormatException">Not a state document.</exception>
    public static AttachmentState FromJson(JsonNode? node)
    {
        var o = node as JsonObject ?? throw new FormatException("not a JSON object");
        return new AttachmentState
        {
            Network = Text(o, "network"),
            ContainerId = Text(o, "containerId"),
            IfName = Text(o, "ifName"),
            Netns = OptionalText(o, "netns"),
            StoreKey = Text(o, "storeKey"),
            CniVersion = Text(o, "cniVersion"),
            Delegates = (o["delegates"] as JsonArray ?? throw new FormatException("no delegates"))
                .Select(DelegateState.FromJson).ToList(),
        };
    }

    internal static string Text(JsonObject o, string name) =>
        OptionalText(o, name) ?? throw new FormatException($"'{name}' missing");

    internal static string? OptionalText(JsonObject o, string name) =>
        CniJson.StringOf(o[name]);
}

public sealed class DelegateState
{
    public required string Type { get; set; }

    public required string IfName { get; set; }

    public required string CniVersion { get; set; }

    public required JsonObject Conf { get; set; }

    /// <summary>ADD was started; it may have left something behind, so DEL must visit it.</summary>
    public bool Added { get; set; }

    /// <summary>The delegate's ADD result as it printed it (its own cniVersion).</summary>
    public JsonNode? Result { get; set; }

    public static DelegateState From(DelegatePlan plan) => new()
    {
        Type = plan.Type,
        IfName = plan.IfName,
        CniVersion = plan.CniVersion,
        Conf = plan.Conf,
    };

    public void WriteTo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", Type);
        w.WriteString("ifName", IfName);
        w.WriteString("cniVersion", CniVersion);
        w.WritePropertyName("conf");
        Conf.WriteTo(w);
        w.WriteBoolean("added", Added);
        w.WritePropertyName("result");
        if (Result is null)
        {
            w.WriteNullValue();
        }
        else
        {
            Result.WriteTo(w);
        }

        w.WriteEndObject();
    }

    public static DelegateState FromJson(JsonNode? node)
    {
        var o = node as JsonObject ?? throw new FormatException("delegate is not a JSON object");
        var version = AttachmentState.Text(o, "cniVersion");
        if (!Cni.CniVersion.IsSupported(version))
        {
            throw new FormatException($"unsupported cniVersion {version}");
        }

        return new DelegateState
        {
            Type = AttachmentState.Text(o, "type"),
            IfName = AttachmentState.Text(o, "ifName"),
            CniVersion = version,
            Conf = (o["conf"] as JsonObject ?? throw new FormatException("delegate without conf")).DeepClone().AsObject(),
            Added = CniJson.BooleanOf(o["added"]) == true,
            Result = o["result"]?.DeepClone(),
        };
    }
}
