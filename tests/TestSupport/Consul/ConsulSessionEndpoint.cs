using System.Text.Json;
using ContivKsr.GoTime;
using Microsoft.AspNetCore.Http;

namespace ContivKsr.TestSupport.Consul;

/// <summary>/v1/session/create, renew/&lt;id&gt;, destroy/&lt;id&gt;, info/&lt;id&gt; and list.</summary>
internal sealed class ConsulSessionEndpoint(ConsulState state)
{
    public async Task HandleAsync(HttpContext context, string rest, CancellationToken stopping)
    {
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var verb = slash < 0 ? rest : rest[..slash];
        var id = slash < 0 ? "" : rest[(slash + 1)..];
        var method = context.Request.Method;
        switch (verb)
        {
            case "create" when method == "PUT":
                await CreateAsync(context);
                break;
            case "renew" when method == "PUT":
                var renewed = state.RenewSession(id);
                if (renewed is null)
                {
                    throw new ConsulEmulatorException(404, $"Session id '{id}' not found");
                }

                await ConsulHttp.WriteJsonAsync(context, 200, new List<SessionJson> { renewed.ToJson() });
                break;
            case "destroy" when method == "PUT":
                state.DestroySession(id);
                await ConsulHttp.WriteJsonAsync(context, 200, true);
                break;
            case "info" when method == "GET":
                var (info, index) = await ConsulHttp.BlockingReadAsync(
                    context,
                    state,
                    () => (state.Sessions.TryGetValue(id, out var s) ? new List<SessionJson> { s.ToJson() } : [], Math.Max(1, state.SessionTableIndex)),
                    stopping);
                ConsulHttp.SetIndex(context, index);
                await ConsulHttp.WriteJsonAsync(context, 200, info);
                break;
            case "list" when method == "GET":
                var (all, listIndex) = await ConsulHttp.BlockingReadAsync(
                    context,
                    state,
                    () => (state.Sessions.Values.Select(s => s.ToJson()).ToList(), Math.Max(1, state.SessionTableIndex)),
                    stopping);
                ConsulHttp.SetIndex(context, listIndex);
                await ConsulHttp.WriteJsonAsync(context, 200, all);
                break;
            default:
                throw new ConsulEmulatorException(405, $"method {method} not allowed on /v1/session/{verb}");
        }
    }

    private async Task CreateAsync(HttpContext context)
    {
        var body = await ConsulHttp.ReadBodyAsync(context, 64 * 1024, _ => "Request body too large");
        SessionCreateJson request;
        try
        {
            request = body.Length == 0 ? new SessionCreateJson() : JsonSerializer.Deserialize<SessionCreateJson>(body, EmulatorJson.Options) ?? new SessionCreateJson();
        }
        catch (JsonException e)
        {
            throw new ConsulEmulatorException(400, $"Request decode failed: {e.Message}");
        }

        var behavior = string.IsNullOrEmpty(request.Behavior) ? "release" : request.Behavior;
        if (behavior is not ("release" or "delete"))
        {
            throw new ConsulEmulatorException(400, $"Invalid Behavior setting '{request.Behavior}'");
        }

        var ttl = TimeSpan.Zero;
        if (!string.IsNullOrEmpty(request.Ttl))
        {
            if (!GoDuration.TryParse(request.Ttl, out ttl))
            {
                throw new ConsulEmulatorException(400, $"Request decode failed: invalid TTL '{request.Ttl}'");
            }

            if (ttl != TimeSpan.Zero && (ttl < ConsulState.MinimumSessionTtl || ttl > ConsulState.MaximumSessionTtl))
            {
                throw new ConsulEmulatorException(400,
                    $"Invalid Session TTL '{request.Ttl}', must be between [{GoDuration.Format(ConsulState.MinimumSessionTtl)}={GoDuration.Format(ConsulState.MaximumSessionTtl)}]");
            }
        }

        var session = state.CreateSession(request.Name ?? "", ttl, request.Ttl ?? "", behavior, ParseLockDelay(request.LockDelay));
        await ConsulHttp.WriteJsonAsync(context, 200, new Dictionary<string, string> { ["ID"] = session.Id });
    }

    /// <summary>A duration string, or a number: seconds below 1000, nanoseconds above (Consul's fixup).</summary>
    private static TimeSpan ParseLockDelay(JsonElement? value)
    {
        if (value is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return TimeSpan.FromSeconds(15);
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var number))
        {
            return number < 1000 ? TimeSpan.FromSeconds(number) : TimeSpan.FromTicks(number / 100);
        }

        if (element.ValueKind == JsonValueKind.String && GoDuration.TryParse(element.GetString(), out var delay))
        {
            return delay;
        }

        throw new ConsulEmulatorException(400, $"Request decode failed: invalid LockDelay {element}");
    }
}
