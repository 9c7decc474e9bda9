using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ContivKsr.TestSupport.FakeKube;

/// <summary>
/// LIST: {"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":..,"continue":..},"items":[..]}.
/// Items lack kind and apiVersion, as the real server sends them. Supports labelSelector,
/// fieldSelector, limit/continue and resourceVersion ("" and "0" and N all get the current state,
/// which is never older than N; an N from the future is a 504 as on a real server that waited for it in vain).
/// </summary>
internal sealed class ListHandler(ObjectStore store)
{
    private const int FlushEvery = 512;

    public async Task HandleAsync(HttpContext context, KubePath path)
    {
        var query = context.Request.Query;
        var limit = ParseLimit(query["limit"]);
        StoredObject[] items;
        long revision;
        long? snapshot = null;
        var start = 0;
        if (query["continue"].ToString() is { Length: > 0 } token)
        {
            (var id, items, revision, start) = store.ListSnapshots.Resume(token);
            snapshot = id;
        }
        else
        {
            var filter = new ObjectFilter(path.Resource, path.Namespace, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]));
            var requested = ObjectStore.ParseResourceVersion(query["resourceVersion"]);
            (items, revision) = store.List(filter);
            if (requested > revision)
            {
                throw new KubeApiException(504, "Timeout", $"Too large resource version: {requested}, current: {revision}");
            }
        }

        var end = limit > 0 ? Math.Min(items.Length, start + limit) : items.Length;
        var metadata = $"\"resourceVersion\":\"{revision.ToString(CultureInfo.InvariantCulture)}\"";
        if (end < items.Length)
        {
            snapshot ??= store.ListSnapshots.Remember(items, revision);
            metadata += $",\"continue\":\"{ListSnapshots.Token(snapshot.Value, revision, end)}\",\"remainingItemCount\":{items.Length - end}";
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var writer = context.Response.BodyWriter;
        HttpJson.Write(writer, $"{{\"kind\":\"{path.Resource.ListKind}\",\"apiVersion\":\"{path.Resource.ApiVersion}\",\"metadata\":{{{metadata}}},\"items\":[");
        for (var i = start; i < end; i++)
        {
            HttpJson.Write(writer, i == start ? "{"u8 : ",{"u8);
            HttpJson.Write(writer, items[i].ListItemBody);
            if ((i - start) % FlushEvery == FlushEvery - 1)
            {
                await writer.FlushAsync(context.RequestAborted);
            }
        }

        HttpJson.Write(writer, "]}"u8);
        await writer.FlushAsync(context.RequestAborted);
    }

    private static int ParseLimit(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            ? limit
            : throw KubeApiException.BadRequest($"limit: Invalid value: \"{text}\": must be a non-negative integer");
    }
}
