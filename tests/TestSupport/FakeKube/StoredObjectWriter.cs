using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContivKsr.TestSupport.FakeKube;

/// <summary>
/// Turns incoming object JSON into <see cref="StoredObject"/>s: sets the metadata fields the
/// server owns (resourceVersion, uid, creationTimestamp) and keeps every other field verbatim.
/// </summary>
internal static class StoredObjectWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = KubeJson.Encoder,
        SkipValidation = true,
    };

    public static JsonObject Parse(string objectJson)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(objectJson);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"not valid JSON: {e.Message}", nameof(objectJson), e);
        }

        return node as JsonObject ?? throw new ArgumentException("a Kubernetes object must be a JSON object", nameof(objectJson));
    }

    /// <summary>The resource an object belongs to, from its apiVersion and kind.</summary>
    public static KubeResource ResourceOf(JsonObject obj) =>
        KubeResources.ByApiVersionAndKind(StringField(obj, "apiVersion"), StringField(obj, "kind"));

    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata)
        {
            return metadata;
        }

        metadata = [];
        obj["metadata"] = metadata;
        return metadata;
    }

    public static string? StringField(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Renders <paramref name="obj"/> (already carrying its final metadata) as a stored object.</summary>
    /// <param name="sizeHint">The incoming JSON's length, so the buffer is allocated once.</param>
    public static StoredObject Render(KubeResource resource, JsonObject obj, long resourceVersion, int sizeHint = 0)
    {
        var metadata = Metadata(obj);
        var name = StringField(metadata, "name") ?? throw new ArgumentException("metadata.name is required");
        var @namespace = resource.Namespaced ? StringField(metadata, "namespace") : null;

        // Room for the server-set metadata fields on top of what came in.
        var buffer = new ArrayBufferWriter<byte>(Math.Max(sizeHint, 768) + 256);
        int bodyStart;
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", resource.Kind);
            writer.WriteString("apiVersion", resource.ApiVersion);
            writer.Flush();
            bodyStart = buffer.WrittenCount;
            var hasBody = false;
            foreach (var (property, value) in obj)
            {
                if (property is "kind" or "apiVersion")
                {
                    continue;
                }

                hasBody = true;
                writer.WritePropertyName(property);
                if (value is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    value.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
            // Skip the ',' the writer put before the first body property.
            bodyStart += hasBody ? 1 : 0;
        }

        return new StoredObject(resource, @namespace, name, resourceVersion, buffer.WrittenSpan.ToArray(), bodyStart, Labels(metadata),
            StringField(metadata, "uid"), StringField(metadata, "creationTimestamp"));
    }

    /// <summary>A copy of <paramref name="stored"/> with a new metadata.resourceVersion (a DELETED event's final state).</summary>
    public static StoredObject WithResourceVersion(StoredObject stored, long resourceVersion)
    {
        var obj = (JsonObject)JsonNode.Parse(stored.Json)!;
        Metadata(obj)["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Render(stored.Resource, obj, resourceVersion, stored.Json.Length);
    }

    private static Dictionary<string, string> Labels(JsonObject metadata)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata["labels"] is JsonObject labelObject)
        {
            foreach (var (key, value) in labelObject)
            {
                labels[key] = value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value?.ToJsonString() ?? "";
            }
        }

        return labels;
    }
}
