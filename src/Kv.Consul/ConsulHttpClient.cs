using System.Globalization;
using System.Net.Http.Headers;

namespace ContivKsr.Kv.Consul;

/// <summary>
/// HTTP plumbing of the Consul backend: the ACL token header, X-Consul-Index, a deadline on every
/// call, and failover through the configured endpoints. It knows nothing about keys or sessions.
/// </summary>
/// <remarks>
/// A call fails over to the next endpoint when the current one cannot be reached (refused, reset,
/// TLS failure, or no answer in time); HTTP error statuses are answers and are returned as such.
/// The endpoint that answered last is tried first next time. When every endpoint failed, or the
/// call's deadline (connection timeout, plus the wait of a blocking query) passed, the call throws
/// <see cref="KvNotReachableException"/>.
/// </remarks>
internal sealed class ConsulHttpClient : IDisposable
{
    public const string TokenHeader = "X-Consul-Token";
    public const string IndexHeader = "X-Consul-Index";

    private readonly HttpClient http;
    private readonly IReadOnlyList<Uri> endpoints;
    private int preferred;

    public ConsulHttpClient(KvStoreConfig config)
    {
        endpoints = ConsulEndpoints.Parse(config.Endpoints, config.Tls is not null);
        ConnectionTimeout = config.ConnectionTimeout > TimeSpan.Zero ? config.ConnectionTimeout : KvStoreConfig.DefaultConnectionTimeout;
        http = new HttpClient(ConsulHttpHandlerFactory.Create(config, endpoints.Count), disposeHandler: true)
        {
            // Deadlines are per call (see SendAsync), so that blocking queries can outlive a short timeout.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (!string.IsNullOrEmpty(config.Token))
        {
            http.DefaultRequestHeaders.Add(TokenHeader, config.Token);
        }
    }

    public TimeSpan ConnectionTimeout { get; }

    /// <summary>Where the last answer came from, for error messages.</summary>
    public Uri CurrentEndpoint => endpoints[Volatile.Read(ref preferred)];

    /// <param name="pathAndQuery">Relative to the API root, e.g. "v1/kv/a/b?recurse".</param>
    /// <param name="body">Request body, or null.</param>
    /// <param name="blockingWait">For a blocking query: how long the server may hold the answer back.</param>
    public async Task<ConsulResponse> SendAsync(
        HttpMethod method,
        string pathAndQuery,
        ReadOnlyMemory<byte>? body = null,
        TimeSpan? blockingWait = null,
        CancellationToken cancellationToken = default)
    {
        // Consul adds up to wait/16 to a blocking query; the connection timeout covers the rest.
        var holding = blockingWait is { } wait ? wait + wait / 16 : TimeSpan.Zero;
        var budget = ConnectionTimeout + holding;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var failures = new List<string>();
        Exception? lastError = null;
        var start = Volatile.Read(ref preferred);
        for (var attempt = 0; attempt < endpoints.Count; attempt++)
        {
            var remaining = budget - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            // Share what is left between the endpoints not tried yet, so that one silent server
            // (accepting, never answering) cannot use up the whole budget before failover.
            var share = holding + TimeSpan.FromTicks(Math.Max(0, (remaining - holding).Ticks) / (endpoints.Count - attempt));
            var attemptTimeout = share < remaining ? share : remaining;
            var index = (start + attempt) % endpoints.Count;
            var endpoint = endpoints[index];
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(attemptTimeout);
            try
            {
                var response = await SendOnceAsync(endpoint, method, pathAndQuery, body, deadline.Token).ConfigureAwait(false);
                Volatile.Write(ref preferred, index);
                return response;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException e)
            {
                failures.Add($"{endpoint.Authority}: no answer within {attemptTimeout.TotalSeconds:0.###} s");
                lastError = e;
            }
            catch (HttpRequestException e)
            {
                failures.Add($"{endpoint.Authority}: {e.Message}");
                lastError = e;
            }
        }

        Volatile.Write(ref preferred, (start + 1) % endpoints.Count);
        var tried = string.Join(",", endpoints.Select(e => e.Authority));
        throw new KvNotReachableException(
            $"consul at {tried} not reachable within {budget.TotalSeconds:0.###} s ({(failures.Count > 0 ? string.Join("; ", failures) : "no time left to try")})",
            lastError);
    }

    public void Dispose() => http.Dispose();

    private async Task<ConsulResponse> SendOnceAsync(Uri endpoint, HttpMethod method, string pathAndQuery, ReadOnlyMemory<byte>? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(endpoint, pathAndQuery));
        if (body is { } content)
        {
            request.Content = new ReadOnlyMemoryContent(content);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new ConsulResponse(response.StatusCode, bytes, ReadIndex(response));
    }

    private static ulong ReadIndex(HttpResponseMessage response) =>
        response.Headers.TryGetValues(IndexHeader, out var values)
        && ulong.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : 0;
}
