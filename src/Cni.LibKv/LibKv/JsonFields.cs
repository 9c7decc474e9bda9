using System.Text.Json;
using System.Text.Json.Nodes;
using ContivKsr.Cni.Cni;

namespace ContivKsr.Cni.LibKv;

/// <summary>Typed reads of config fields; a field of the wrong type is an invalid config (code 7).</summary>
internal static class JsonFields
{
    public static string? String(JsonObject o, string name, string where)
    {
        if (!o.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        return CniJson.StringOf(node) ?? throw Invalid($"{where}: '{name}' must be a string");
    }

    public static string RequiredString(JsonObject o, string name, string where) =>
        String(o, name, where) is { Length: > 0 } value ? value : throw Invalid($"{where}: '{name}' is required");

    public static double? Number(JsonObject o, string name, string where)
    {
        if (!o.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.Number)
        {
            throw Invalid($"{where}: '{name}' must be a number");
        }

        return node.GetValue<double>();
    }

    public static bool? Bool(JsonObject o, string name, string where)
    {
        if (!o.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid($"{where}: '{name}' must be true or false"),
        };
    }

    public static JsonObject? Object(JsonObject o, string name, string where)
    {
        if (!o.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        return node as JsonObject ?? throw Invalid($"{where}: '{name}' must be an object");
    }

    public static CniException Invalid(string message) => new(CniErrorCode.InvalidNetworkConfig, message);
}
