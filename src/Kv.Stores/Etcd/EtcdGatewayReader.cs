using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace ContivKsr.Kv.Stores.Etcd;

/// <summary>
/// Reads single keys through etcd's JSON gateway (<c>POST /v3/kv/range</c>, served by every etcd
/// 3.4+ on its client port). For a process that reads one key and exits this is much cheaper than
/// a gRPC channel: no HTTP/2, no protobuf runtime. TLS, username/password and multi-endpoint
/// failover follow <see cref="KvStoreConfig"/> as the full etcd store does.
/// </summary>
public sealed class EtcdGatewayReader : IKvReader
{
    private readonly KvStoreConfig config;
    private readonly EtcdEndpoints endpoints;
    private readonly HttpClient client;
    private string? token;

    /// <exception cref="KvInvalidConfigException">Bad endpoints or TLS files (same rules as <see cref="EtcdStore"/>).</exception>
    public EtcdGatewayReader(KvStoreConfig config)
    {
        this.config = config;
        endpoints = EtcdEndpoints.Parse(config.Endpoints, config.Tls is not null);
        // GatewayConnector's connect and socket timeouts bound each request, not a timer.
        client = new HttpClient(CreateHandler(config, endpoints.UseTls), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public string Backend => KvBackend.Etcd;

    public KvPair Get(string key, CancellationToken cancellationToken = default)
    {
        var normalized = KvKey.Normalize(key);
        var stored = EtcdKeys.StoredForm(normalized, config.EtcdLeadingSlash);
        using var response = Post("/v3/kv/range", EtcdGatewayMessages.RangeRequest(stored), cancellationToken);
        var (value, modRevision) = EtcdGatewayMessages.FirstKeyValue(response.RootElement)
            ?? throw new KvKeyNotFoundException(normalized);
        return new KvPair(normalized, value, modRevision);
    }

    public void Dispose() => client.Dispose();

    private JsonDocument Post(string path, byte[] body, CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var baseUri in endpoints.Uris)
        {
            try
            {
                if (config.Username is not null && token is null)
                {
                    token = Authenticate(baseUri, cancellationToken);
                }

                return Send(new Uri(baseUri, path), body, token, cancellationToken);
            }
            catch (Exception e) when (IsUnreachable(e, cancellationToken))
            {
                last = e;
            }
        }

        throw new KvNotReachableException(
            $"etcd not reachable at {endpoints} within {config.ConnectionTimeout.TotalSeconds:0.#} s: {last?.Message}", last);
    }

    private string? Authenticate(Uri baseUri, CancellationToken cancellationToken)
    {
        var body = EtcdGatewayMessages.AuthenticateRequest(config.Username!, config.Password ?? "");
        using var response = Send(new Uri(baseUri, "/v3/auth/authenticate"), body, null, cancellationToken);
        return EtcdGatewayMessages.Token(response.RootElement);
    }

    /// <summary>One POST with the synchronous HttpClient API (HTTP/1.1), which needs no thread pool.</summary>
    private JsonDocument Send(Uri uri, byte[] body, string? authorization, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (authorization is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = client.Send(message, cancellationToken);
        using var buffer = new MemoryStream();
        response.Content.ReadAsStream(cancellationToken).CopyTo(buffer);
        var bytes = buffer.ToArray();
        if (response.IsSuccessStatusCode)
        {
            try
            {
                return JsonDocument.Parse(bytes);
            }
            catch (JsonException e)
            {
                throw new KvException($"etcd gave an answer that is not the gateway's JSON: {e.Message}", e);
            }
        }

        throw Failure(response, bytes);
    }

    private static KvException Failure(HttpResponseMessage response, byte[] bytes)
    {
        (int Code, string? Message) error = (0, null);
        try
        {
            using var document = JsonDocument.Parse(bytes);
            error = EtcdGatewayMessages.Error(document.RootElement);
        }
        catch (JsonException)
        {
            // Not etcd's error JSON (a proxy in between?): the status line says enough.
        }

        var text = error.Message ?? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        var code = error.Code;
        var backendCode = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // gRPC status codes as the gateway reports them: 7 PermissionDenied, 16 Unauthenticated, and
        // 3 InvalidArgument for a wrong password or a missing user (as EtcdErrors reads them).
        var authFailure = code == 3 && (text.Contains("authentication failed", StringComparison.Ordinal)
            || text.Contains("user name is empty", StringComparison.Ordinal));
        if (code is 7 or 16 || authFailure || response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return new KvAccessDeniedException($"etcd refused access: {text}") { BackendCode = backendCode };
        }

        // 14 Unavailable: no leader, etc.; the caller may try again later.
        if (code == 14 || response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            return new KvNotReachableException($"etcd is unavailable: {text}") { BackendCode = backendCode };
        }

        return new KvException($"etcd failed: {text}") { BackendCode = backendCode };
    }

    private static bool IsUnreachable(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or SocketException or IOException
        || e is KvNotReachableException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static SocketsHttpHandler CreateHandler(KvStoreConfig config, bool useTls)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            // One request and exit, so never keep a connection: with a zero lifetime the pool has no
            // scavenging timer, whose creation alone started a timer thread and calibrated the
            // processor-ID cache (≈ 0.3 ms of an ADD).
            PooledConnectionLifetime = TimeSpan.Zero,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectCallback = (context, _) => GatewayConnector.Connect(context, config.ConnectionTimeout),
        };
        if (useTls)
        {
            var options = EtcdTls.Build(config.Tls);
            // The gateway is HTTP/1.1 on the same port; etcd picks the protocol by ALPN.
            options.ApplicationProtocols = [SslApplicationProtocol.Http11];
            handler.SslOptions = options;
        }

        return handler;
    }
}
