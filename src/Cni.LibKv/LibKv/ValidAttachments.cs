using System.Text.Json.Nodes;
using ContivKsr.Cni.Cni;

namespace ContivKsr.Cni.LibKv;

/// <summary>GC's <c>cni.dev/valid-attachments</c>: the (containerID, ifname) pairs the runtime still uses.</summary>
internal static class ValidAttachments
{
    public const string Field = "cni.dev/valid-attachments";

    public static HashSet<(string ContainerId, string IfName)> Read(JsonObject config)
    {
        var valid = new HashSet<(string, string)>();
        if (!config.TryGetPropertyValue(Field, out var node) || node is null)
        {
            return valid;
        }

        if (node is not JsonArray array)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"'{Field}' must be an array");
        }

        foreach (var item in array)
        {
            if (item is not JsonObject o)
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig, $"'{Field}' entries must be objects");
            }

            var containerId = JsonFields.RequiredString(o, "containerID", Field);
            var ifName = JsonFields.RequiredString(o, "ifname", Field);
            valid.Add((containerId, ifName));
        }

        return valid;
    }
}
