using Microsoft.AspNetCore.Http;

namespace ContivKsr.TestSupport.Consul;

/// <summary>/v1/kv/&lt;key&gt;: GET (recurse, keys, separator, raw, blocking), PUT (flags, cas, acquire, release), DELETE (recurse, cas).</summary>
internal sealed class ConsulKvEndpoint(ConsulState state)
{
    public async Task HandleAsync(HttpContext context, string key, CancellationToken stopping)
    {
        if (key.StartsWith('/'))
        {
            throw new ConsulEmulatorException(400, $"Invalid key name, starts with '/': \"{key}\"");
        }

        switch (context.Request.Method)
        {
            case "GET":
                await GetAsync(context, key, stopping);
                break;
            case "PUT":
                await PutAsync(context, key);
                break;
            case "DELETE":
                await DeleteAsync(context, key);
                break;
            default:
                context.Response.Headers.Allow = "GET, PUT, DELETE";
                throw new ConsulEmulatorException(405, $"method {context.Request.Method} not allowed");
        }
    }

    private async Task GetAsync(HttpContext context, string key, CancellationToken stopping)
    {
        if (ConsulHttp.Has(context, "keys"))
        {
            var separator = ConsulHttp.Text(context, "separator") ?? "";
            var (keys, keysIndex) = await ConsulHttp.BlockingReadAsync(context, state, () => (ListKeys(key, separator), state.IndexOfPrefix(key)), stopping);
            ConsulHttp.SetIndex(context, keysIndex);
            await AnswerAsync(context, keys.Count > 0, keys);
            return;
        }

        if (ConsulHttp.Has(context, "recurse"))
        {
            var (entries, listIndex) = await ConsulHttp.BlockingReadAsync(
                context,
                state,
                () => (state.Entries.Values.Where(e => e.Key.StartsWith(key, StringComparison.Ordinal)).Select(e => e.ToJson()).ToList(), state.IndexOfPrefix(key)),
                stopping);
            ConsulHttp.SetIndex(context, listIndex);
            await AnswerAsync(context, entries.Count > 0, entries);
            return;
        }

        var (entry, index) = await ConsulHttp.BlockingReadAsync(context, state, () => (state.Entries.GetValueOrDefault(key), state.IndexOfKey(key)), stopping);
        ConsulHttp.SetIndex(context, index);
        if (entry is not null && ConsulHttp.Has(context, "raw"))
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(entry.Value, context.RequestAborted);
            return;
        }

        await AnswerAsync(context, entry is not null, entry is null ? [] : new List<KvEntryJson> { entry.ToJson() });
    }

    private async Task PutAsync(HttpContext context, string key)
    {
        if (key.Length == 0)
        {
            throw new ConsulEmulatorException(400, "Missing key name");
        }

        var value = await ConsulHttp.ReadBodyAsync(context, ConsulHttp.MaxValueSize, size => $"Value exceeds {ConsulHttp.MaxValueSize} byte limit");
        var flags = ConsulHttp.Number(context, "flags") ?? 0;
        var cas = ConsulHttp.Number(context, "cas");
        var acquire = ConsulHttp.Text(context, "acquire");
        var release = ConsulHttp.Text(context, "release");

        // As in Consul's handler, the last of cas, acquire, release given decides the operation.
        var applied = state.Apply(scope =>
            release is not null ? ConsulKvOperations.Unlock(scope, key, value, flags, release) is not null
            : acquire is not null ? ConsulKvOperations.Lock(scope, state, key, value, flags, acquire) is not null
            : cas is { } index ? ConsulKvOperations.Cas(scope, key, value, flags, index) is not null
            : ConsulKvOperations.Set(scope, key, value, flags) is not null);
        await ConsulHttp.WriteJsonAsync(context, 200, applied);
    }

    private async Task DeleteAsync(HttpContext context, string key)
    {
        var recurse = ConsulHttp.Has(context, "recurse");
        if (key.Length == 0 && !recurse)
        {
            throw new ConsulEmulatorException(400, "Missing key name");
        }

        var cas = ConsulHttp.Number(context, "cas");
        var applied = state.Apply(scope =>
        {
            if (recurse)
            {
                ConsulKvOperations.DeleteTree(scope, key);
                return true;
            }

            if (cas is { } index)
            {
                return ConsulKvOperations.DeleteCas(scope, key, index);
            }

            scope.Delete(key);
            return true;
        });
        await ConsulHttp.WriteJsonAsync(context, 200, applied);
    }

    /// <summary>Keys under the prefix; with a separator, each cut after the first separator past the prefix (folders).</summary>
    private List<string> ListKeys(string prefix, string separator)
    {
        var keys = new List<string>();
        foreach (var entry in state.Entries.Values.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var key = entry.Key;
            if (separator.Length > 0)
            {
                var cut = key.IndexOf(separator, prefix.Length, StringComparison.Ordinal);
                if (cut >= 0)
                {
                    key = key[..(cut + separator.Length)];
                }
            }

            if (keys.Count == 0 || keys[^1] != key)
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    /// <summary>200 with the JSON body, or 404 with an empty body (Consul's answer for "nothing there").</summary>
    private static Task AnswerAsync<T>(HttpContext context, bool found, T body)
    {
        if (found)
        {
            return ConsulHttp.WriteJsonAsync(context, 200, body);
        }

        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    }
}
