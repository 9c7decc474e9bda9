using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ContivKsr.TestSupport.FakeKube;

/// <summary>
/// WATCH (<c>?watch=true</c>): a chunked 200 response of newline-delimited
/// {"type":..,"object":..} events. It ends cleanly after timeoutSeconds or after an ERROR event,
/// and abruptly (connection aborted) when the fake drops its watches.
/// </summary>
internal sealed class WatchHandler(ObjectStore store)
{
    public static bool IsWatch(HttpRequest request) => IsTrue(request.Query["watch"]);

    public async Task HandleAsync(HttpContext context, KubePath path)
    {
        var query = context.Request.Query;
        var filter = new ObjectFilter(path.Resource, path.Namespace, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]), path.Name);
        var timeout = ParseTimeout(query["timeoutSeconds"]);
        var watch = store.Watch(filter, query["resourceVersion"], IsTrue(query["allowWatchBookmarks"]), IsTrue(query["sendInitialEvents"]));
        try
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.StartAsync(context.RequestAborted);
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted);

            // timeoutSeconds=0 means "the server's default", which for the fake is no limit.
            using var timeoutSource = timeout is > 0 and var seconds ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds)) : new CancellationTokenSource();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, timeoutSource.Token, watch.Dropped);
            try
            {
                await StreamAsync(watch, context, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Timeout: end the chunked body cleanly. Client gone: nothing to do.
            }

            if (watch.Dropped.IsCancellationRequested)
            {
                // Cut the connection with no final chunk, as a crashed or restarted API server does.
                context.Abort();
            }
        }
        finally
        {
            store.Unsubscribe(watch);
        }
    }

    private static async Task StreamAsync(WatchSubscription watch, HttpContext context, CancellationToken cancellation)
    {
        var writer = context.Response.BodyWriter;
        var reader = watch.Messages;
        while (await reader.WaitToReadAsync(cancellation))
        {
            while (reader.TryRead(out var message))
            {
                HttpJson.Write(writer, "{\"type\":\""u8);
                HttpJson.Write(writer, message.Type);
                HttpJson.Write(writer, "\",\"object\":"u8);
                HttpJson.Write(writer, message.ObjectJson);
                HttpJson.Write(writer, "}\n"u8);
            }

            await writer.FlushAsync(cancellation);
        }
    }

    /// <summary>Go's strconv.ParseBool spellings of true, which the real server accepts.</summary>
    private static bool IsTrue(string? value) => value is "1" or "t" or "T" or "true" or "TRUE" or "True";

    private static int? ParseTimeout(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw KubeApiException.BadRequest($"timeoutSeconds: Invalid value: \"{text}\": must be a non-negative integer");
    }
}
