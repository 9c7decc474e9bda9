using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ContivKsr.TestSupport.FakeKube;

/// <summary>Logs each request, applies the failure switches, and sends it to the handler for its path and verb.</summary>
internal sealed class KubeApiRouter(ObjectStore store, RequestLog log)
{
    private volatile bool unavailable;

    private readonly ListHandler lists = new(store);
    private readonly WatchHandler watches = new(store);
    private readonly ObjectHandler objects = new(store);

    /// <summary>When true every request is answered 503, as by an API server that is down.</summary>
    public bool Unavailable
    {
        get => unavailable;
        set => unavailable = value;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        log.Add($"{request.Method} {request.Path}{request.QueryString}");
        try
        {
            if (unavailable)
            {
                throw new KubeApiException(503, "ServiceUnavailable", "the server is currently unable to handle the request");
            }

            if (DiscoveryHandler.TryHandle(context, out var discovery))
            {
                await discovery;
                return;
            }

            var path = KubePath.Parse(request.Path.Value ?? "")
                ?? throw new KubeApiException(404, "NotFound", "the server could not find the requested resource");
            var handled = (request.Method, path.Name) switch
            {
                ("GET", _) when WatchHandler.IsWatch(request) => watches.HandleAsync(context, path),
                ("GET", null) => lists.HandleAsync(context, path),
                ("GET", _) => objects.GetAsync(context, path),
                ("POST", null) => objects.CreateAsync(context, path),
                ("PUT", not null) => objects.ReplaceAsync(context, path),
                ("DELETE", not null) => objects.DeleteAsync(context, path),
                _ => throw new KubeApiException(405, "MethodNotAllowed", $"{request.Method} is not supported on {request.Path} by the fake API server"),
            };
            await handled;
        }
        catch (KubeApiException error) when (!context.Response.HasStarted)
        {
            await HttpJson.WriteStatusAsync(context, error);
        }
        catch (Exception error) when (error is ArgumentException or JsonException && !context.Response.HasStarted)
        {
            await HttpJson.WriteStatusAsync(context, KubeApiException.BadRequest(error.Message));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away mid-response.
        }
    }
}
