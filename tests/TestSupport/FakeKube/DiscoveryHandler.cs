using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ContivKsr.TestSupport.FakeKube;

/// <summary>Minimal discovery: /version, /api, /apis, and the resource list of each group version served.</summary>
internal static class DiscoveryHandler
{
    public static bool TryHandle(HttpContext context, out Task response)
    {
        var segments = (context.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        JsonObject? body = segments switch
        {
            ["version"] => Version(),
            ["api"] => CoreVersions(context),
            ["apis"] => Groups(),
            ["api", var version] => Resources("", version),
            ["apis", var group, var version] => Resources(group, version),
            _ => null,
        };
        response = body is null || context.Request.Method != "GET"
            ? Task.CompletedTask
            : HttpJson.WriteAsync(context, 200, JsonSerializer.SerializeToUtf8Bytes(body, KubeJson.SerializerOptions));
        return body is not null && context.Request.Method == "GET";
    }

    private static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "34",
        ["gitVersion"] = "v1.34.0-contivksr-fake",
        ["gitCommit"] = "",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "none (ContivKsr fake API server, .NET)",
        ["compiler"] = "none",
        ["platform"] = "linux/amd64",
    };

    private static JsonObject CoreVersions(HttpContext context) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
        {
            ["clientCIDR"] = "0.0.0.0/0",
            ["serverAddress"] = context.Request.Host.Value,
        }),
    };

    private static JsonObject Groups()
    {
        var groups = new JsonArray();
        foreach (var group in KubeResources.All.Where(r => r.Group.Length > 0).GroupBy(r => (r.Group, r.Version)))
        {
            var version = new JsonObject { ["groupVersion"] = $"{group.Key.Group}/{group.Key.Version}", ["version"] = group.Key.Version };
            groups.Add(new JsonObject
            {
                ["name"] = group.Key.Group,
                ["versions"] = new JsonArray(version),
                ["preferredVersion"] = version.DeepClone(),
            });
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    private static JsonObject? Resources(string group, string version)
    {
        var served = KubeResources.All.Where(r => r.Group == group && r.Version == version).ToList();
        if (served.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var resource in served)
        {
            resources.Add(new JsonObject
            {
                ["name"] = resource.Plural,
                ["singularName"] = resource.Kind.ToLowerInvariant(),
                ["namespaced"] = resource.Namespaced,
                ["kind"] = resource.Kind,
                ["verbs"] = new JsonArray("create", "delete", "get", "list", "update", "watch"),
            });
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }
}
