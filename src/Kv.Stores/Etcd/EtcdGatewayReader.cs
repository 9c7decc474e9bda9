using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

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
        var request = new EtcdRangeRequest(Convert.ToBase64String(Encoding.UTF8.GetBytes(normalized)));
        var response = Post("/v3/kv/range", JsonSerializer.SerializeToUtf8Bytes(request, EtcdGatewayJsonContext.Default.EtcdRangeRequest),
            EtcdGatewayJsonContext.Default.EtcdRangeResponse, cancellationToken);
        if (response.Kvs is not [var kv, ..])
        {
            throw new KvKeyNotFoundException(normalized);
        }

        var value = kv.Value is null ? [] : Convert.FromBase64String(kv.Value);
        return new KvPair(normalized, value, kv.ModRevision);
    }

    public void Dispose() => client.Dispose();

    private TResponse Post<TResponse>(string path, byte[] body, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
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

                return Send(new Uri(baseUri, path), body, token, responseType, cancellationToken);
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
        var request = new EtcdAuthenticateRequest(config.Username!, config.Password ?? "");
        var body = JsonSerializer.SerializeToUtf8Bytes(request, EtcdGatewayJsonContext.Default.EtcdAuthenticateRequest);
        return Send(new Uri(baseUri, "/v3/auth/authenticate"), body, null, EtcdGatewayJsonContext.Default.EtcdAuthenticateResponse, cancellationToken).Token;
    }

    /// <summary>One POST with the synchronous HttpClient API (HTTP/1.1), which needs no thread pool.</summary>
    private T Send<T>(Uri uri, byte[] body, string? authorization, JsonTypeInfo<T> type, CancellationToken cancellationToken)
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
                return JsonSerializer.Deserialize(bytes, type) ?? throw new JsonException("empty answer");
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
        EtcdGatewayError? error = null;
        try
        {
            error = JsonSerializer.Deserialize(bytes, EtcdGatewayJsonContext.Default.EtcdGatewayError);
        }
        catch (JsonException)
        {
            // Not etcd's error JSON (a proxy in between?): the status line says enough.
        }

        var text = error?.Message ?? error?.Error ?? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        var code = error?.Code ?? 0;
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
