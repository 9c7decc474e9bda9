using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using ContivKsr.Kv.Etcd.Core;

namespace ContivKsr.Kv.EtcdGateway;

/// <summary>
/// etcd's client port spoken as HTTP/1.1 (the v3 JSON gateway and the v2 keys API both live there),
/// for processes that make a request or two and exit. Synchronous, with the connection made on the
/// calling thread (<see cref="GatewayConnector"/>) and every wait bounded by the connection timeout
/// through socket timeouts, so no timer or thread-pool work is needed. TLS and multi-endpoint
/// failover follow <see cref="KvStoreConfig"/> as the gRPC store does.
/// </summary>
internal sealed class EtcdHttpChannel : IDisposable
{
    private readonly HttpClient client;
    private int preferred;

    /// <exception cref="KvInvalidConfigException">Bad endpoints or TLS files (same rules as <see cref="EtcdStore"/>).</exception>
    public EtcdHttpChannel(KvStoreConfig config)
    {
        Config = config;
        Endpoints = EtcdEndpoints.Parse(config.Endpoints, config.Tls is not null);
        // GatewayConnector's connect and socket timeouts bound each request, not a timer.
        client = new HttpClient(CreateHandler(config, Endpoints.UseTls), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public KvStoreConfig Config { get; }

    public EtcdEndpoints Endpoints { get; }

    /// <summary>
    /// Runs <paramref name="exchange"/> with each endpoint's base URI in turn, starting with the one
    /// that answered last, until one does not fail as unreachable.
    /// </summary>
    /// <exception cref="KvNotReachableException">No endpoint answered within the connection timeout.</exception>
    public T OnFirstReachable<T>(Func<Uri, T> exchange, CancellationToken cancellationToken)
    {
        Exception? last = null;
        var uris = Endpoints.Uris;
        for (var attempt = 0; attempt < uris.Count; attempt++)
        {
            var index = (preferred + attempt) % uris.Count;
            try
            {
                var result = exchange(uris[index]);
                preferred = index;
                return result;
            }
            catch (Exception e) when (IsUnreachable(e, cancellationToken))
            {
                last = e;
            }
        }

        throw new KvNotReachableException(
            $"etcd not reachable at {Endpoints} within {Config.ConnectionTimeout.TotalSeconds:0.#} s: {last?.Message}", last);
    }

    /// <summary>One request, whatever its status; the body is read whole.</summary>
    public EtcdHttpAnswer Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = client.Send(request, cancellationToken);
        using var buffer = new MemoryStream();
        response.Content.ReadAsStream(cancellationToken).CopyTo(buffer);
        return new EtcdHttpAnswer(response.StatusCode, response.ReasonPhrase, response.Content.Headers.ContentType?.MediaType, buffer.ToArray());
    }

    public void Dispose() => client.Dispose();

    /// <summary>A request with a body of <paramref name="mediaType"/>.</summary>
    public static HttpRequestMessage Request(HttpMethod method, Uri uri, byte[]? body = null, string mediaType = "application/json")
    {
        var message = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        }

        return message;
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
            // A request or two and exit, so never keep a connection: with a zero lifetime the pool has
            // no scavenging timer, whose creation alone started a timer thread and calibrated the
            // processor-ID cache (≈ 0.3 ms of an ADD).
            PooledConnectionLifetime = TimeSpan.Zero,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            // etcd redirects a path with '//' or '.' segments; a key never becomes one (EtcdV2Keys).
            AllowAutoRedirect = false,
            ConnectCallback = (context, _) => GatewayConnector.Connect(context, config.ConnectionTimeout),
        };
        if (useTls)
        {
            // The gateway and the v2 API are HTTP/1.1 on the gRPC port; etcd picks the protocol by ALPN.
            handler.SslOptions = EtcdTls.Build(config.Tls, SslApplicationProtocol.Http11);
        }

        return handler;
    }
}

/// <summary>An HTTP answer from etcd, read whole.</summary>
internal sealed record EtcdHttpAnswer(HttpStatusCode Status, string? ReasonPhrase, string? MediaType, byte[] Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public string StatusLine => $"HTTP {(int)Status} {ReasonPhrase}";
}
