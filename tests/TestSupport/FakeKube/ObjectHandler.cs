using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ContivKsr.TestSupport.FakeKube;

/// <summary>GET, POST (create), PUT (replace, optimistic on metadata.resourceVersion) and DELETE of one object.</summary>
internal sealed class ObjectHandler(ObjectStore store)
{
    public Task GetAsync(HttpContext context, KubePath path)
    {
        var stored = store.Get(path.Resource, path.Namespace, path.Name!) ?? throw KubeApiException.NotFound(path.Resource, path.Name!);
        return HttpJson.WriteAsync(context, 200, stored.Json);
    }

    public async Task CreateAsync(HttpContext context, KubePath path)
    {
        var obj = await ReadBodyAsync(context, path);
        var metadata = StoredObjectWriter.Metadata(obj);
        if (StoredObjectWriter.StringField(metadata, "name") is not { Length: > 0 }
            && StoredObjectWriter.StringField(metadata, "generateName") is { Length: > 0 } prefix)
        {
            metadata["name"] = prefix + Guid.NewGuid().ToString("N")[..5];
        }

        var stored = store.Create(path.Resource, obj);
        await HttpJson.WriteAsync(context, 201, stored.Json);
    }

    public async Task ReplaceAsync(HttpContext context, KubePath path)
    {
        var obj = await ReadBodyAsync(context, path);
        var name = StoredObjectWriter.StringField(StoredObjectWriter.Metadata(obj), "name");
        if (name != path.Name)
        {
            throw KubeApiException.BadRequest($"the name of the object ({name}) does not match the name on the URL ({path.Name})");
        }

        var stored = store.Replace(path.Resource, obj);
        await HttpJson.WriteAsync(context, 200, stored.Json);
    }

    public Task DeleteAsync(HttpContext context, KubePath path)
    {
        var deleted = store.Delete(path.Resource, path.Namespace, path.Name!) ?? throw KubeApiException.NotFound(path.Resource, path.Name!);
        return HttpJson.WriteAsync(context, 200, deleted.Json);
    }

    /// <summary>The request body as an object of the URL's resource, its namespace taken from the URL when absent.</summary>
    private static async Task<JsonObject> ReadBodyAsync(HttpContext context, KubePath path)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException e)
        {
            throw KubeApiException.BadRequest($"the body of the request was in an unknown format: {e.Message}");
        }

        if (node is not JsonObject obj)
        {
            throw KubeApiException.BadRequest("the body of the request must be a JSON object");
        }

        var resource = path.Resource;
        if (StoredObjectWriter.StringField(obj, "kind") is { } kind && kind != resource.Kind
            || StoredObjectWriter.StringField(obj, "apiVersion") is { } apiVersion && apiVersion != resource.ApiVersion)
        {
            throw KubeApiException.BadRequest($"the object is not a {resource.ApiVersion} {resource.Kind}, which {resource.QualifiedName} holds");
        }

        var metadata = StoredObjectWriter.Metadata(obj);
        if (resource.Namespaced && path.Namespace is not null)
        {
            var ns = StoredObjectWriter.StringField(metadata, "namespace");
            if (ns is { Length: > 0 } && ns != path.Namespace)
            {
                throw KubeApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            metadata["namespace"] = path.Namespace;
        }

        return obj;
    }
}
