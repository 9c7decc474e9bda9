using System.Globalization;
using System.Text;
using System.Text.Json;
using ContivKsr.GoTime;
using Microsoft.AspNetCore.Http;

namespace ContivKsr.TestSupport.Consul;

/// <summary>Request and response helpers of the emulator: query parameters, headers, bodies, blocking reads.</summary>
internal static class ConsulHttp
{
    public const string IndexHeader = "X-Consul-Index";

    /// <summary>Consul's default kv_max_value_size.</summary>
    public const int MaxValueSize = 512 * 1024;

    public static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaximumWait = TimeSpan.FromMinutes(10);

    /// <summary>Consul treats a parameter as set when it is present, whatever its value ("?recurse").</summary>
    public static bool Has(HttpContext context, string name) => context.Request.Query.ContainsKey(name);

    public static string? Text(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    public static ulong? Number(HttpContext context, string name)
    {
        var text = Text(context, name);
        if (text is null)
        {
            return null;
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ConsulEmulatorException(400, $"Invalid {name} value: {text}");
    }

    public static void SetIndex(HttpContext context, ulong index)
    {
        context.Response.Headers[IndexHeader] = index.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-Consul-KnownLeader"] = "true";
        context.Response.Headers["X-Consul-LastContact"] = "0";
    }

    public static async Task WriteJsonAsync<T>(HttpContext context, int status, T body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body, EmulatorJson.Options), context.RequestAborted);
    }

    public static async Task WriteTextAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), context.RequestAborted);
    }

    /// <summary>Reads the whole body, refusing one above <paramref name="limit"/> bytes with 413, as Consul does.</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpContext context, int limit, Func<long, string> tooLarge)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                throw new ConsulEmulatorException(413, tooLarge(buffer.Length));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// A blocking query: with ?index, waits until <paramref name="read"/>'s index passes it or the
    /// wait (?wait, default 5 min, at most 10 min, plus up to wait/16 of jitter) runs out, then answers
    /// with whatever the read gives. Without ?index it answers at once.
    /// </summary>
    public static async Task<(T Result, ulong Index)> BlockingReadAsync<T>(HttpContext context, ConsulState state, Func<(T Result, ulong Index)> read, CancellationToken stopping)
    {
        var minimumIndex = Number(context, "index") ?? 0;
        var wait = DefaultWait;
        if (Text(context, "wait") is { } waitText)
        {
            if (!GoDuration.TryParse(waitText, out wait))
            {
                throw new ConsulEmulatorException(400, $"Invalid wait time: {waitText}");
            }
        }

        wait = wait > MaximumWait ? MaximumWait : wait;
        wait += TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * (wait.Ticks / 16)));
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            (T Result, ulong Index) answer;
            Task changed;
            lock (state.Gate)
            {
                answer = read();
                changed = state.Changed;
            }

            var remaining = deadline - DateTime.UtcNow;
            if (minimumIndex == 0 || answer.Index > minimumIndex || remaining <= TimeSpan.Zero)
            {
                return answer;
            }

            // Cancel the timer once a change wins, or every write would leave one behind for the whole wait.
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var delay = Task.Delay(remaining, timer.Token);
            await Task.WhenAny(changed, delay);
            await timer.CancelAsync();
            stopping.ThrowIfCancellationRequested();
        }
    }
}
