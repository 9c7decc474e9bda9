using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
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
    private readonly HttpClient client;
    private string? token;

    public EtcdGatewayReader(KvStoreConfig config)
    {
        this.config = config;
        client = new HttpClient(CreateHandler(config), disposeHandler: true) { Timeout = config.ConnectionTimeout };
    }

    public string Backend => KvBackend.Etcd;

    public KvPair Get(string key, CancellationToken cancellationToken = default)
    {
        var normalized = KvKey.Normalize(key);
        using var response = Post("/v3/kv/range", EtcdGatewayMessages.RangeRequest(normalized), cancellationToken);
        var (value, modRevision) = EtcdGatewayMessages.FirstKeyValue(response.RootElement)
            ?? throw new KvKeyNotFoundException(normalized);
        return new KvPair(normalized, value, modRevision);
    }

    public void Dispose() => client.Dispose();

    private JsonDocument Post(string path, byte[] body, CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var endpoint in config.Endpoints)
        {
            var baseUri = BaseUri(endpoint);
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
            $"etcd not reachable at {string.Join(",", config.Endpoints)} within {config.ConnectionTimeout.TotalSeconds:0.#} s: {last?.Message}", last);
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
        // gRPC status codes as the gateway reports them: 7 PermissionDenied, 16 Unauthenticated.
        if (code is 7 or 16 || response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
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

    private Uri BaseUri(string endpoint)
    {
        if (endpoint.Contains("://", StringComparison.Ordinal))
        {
            return new Uri(endpoint);
        }

        return new Uri((config.Tls is null ? "http://" : "https://") + endpoint);
    }

    private static SocketsHttpHandler CreateHandler(KvStoreConfig config)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = config.ConnectionTimeout,
            UseProxy = false,
            // One request and exit: an idle-connection scavenger would only start a timer thread.
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (config.Tls is { } tls)
        {
            handler.SslOptions = TlsOptions(tls);
        }

        return handler;
    }

    private static SslClientAuthenticationOptions TlsOptions(KvTlsConfig tls)
    {
        var options = new SslClientAuthenticationOptions();
        try
        {
            if (tls.CertFile is not null && tls.KeyFile is not null)
            {
                options.ClientCertificates = [X509Certificate2.CreateFromPemFile(tls.CertFile, tls.KeyFile)];
            }

            if (tls.InsecureSkipVerify)
            {
                options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
            }
            else if (tls.CaFile is not null)
            {
                var authority = X509CertificateLoader.LoadCertificateFromFile(tls.CaFile);
                options.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(authority);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    var nameOk = (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
                    return nameOk && chain.Build(new X509Certificate2(certificate));
                };
            }
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            throw new KvInvalidConfigException($"cannot load the etcd TLS files: {e.Message}", e);
        }

        return options;
    }
}
