using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContivKsr.TestSupport.FakeKube;

/// <summary>The small JSON documents the server makes up itself: Status objects and bookmark objects.</summary>
internal static class KubeStatus
{
    /// <summary>A metav1.Status failure, as the real server sends for errors (and inside a watch ERROR event).</summary>
    public static byte[] Failure(int code, string reason, string message, KubeResource? resource = null, string? name = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (resource is not null)
        {
            var details = new JsonObject();
            if (name is not null)
            {
                details["name"] = name;
            }

            if (resource.Group.Length > 0)
            {
                details["group"] = resource.Group;
            }

            details["kind"] = resource.Plural;
            status["details"] = details;
        }

        status["code"] = code;
        return JsonSerializer.SerializeToUtf8Bytes(status, KubeJson.SerializerOptions);
    }

    public static byte[] Failure(KubeApiException error) => Failure(error.Code, error.Reason, error.Message, error.Resource, error.Name);

    /// <summary>The 410 a watch gets when it asks for history the server no longer has.</summary>
    public static byte[] TooOldResourceVersion(long requested, long oldestKept) =>
        Failure(410, "Expired", $"too old resource version: {requested} ({oldestKept})");

    /// <summary>A BOOKMARK event's object: only kind, apiVersion and metadata.resourceVersion.</summary>
    public static byte[] Bookmark(KubeResource resource, long resourceVersion, bool initialEventsEnd = false)
    {
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (initialEventsEnd)
        {
            // What the real server marks the end of sendInitialEvents=true's initial ADDED events with.
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["kind"] = resource.Kind,
            ["apiVersion"] = resource.ApiVersion,
            ["metadata"] = metadata,
        }, KubeJson.SerializerOptions);
    }
}
