using System.Net;
using System.Net.Http.Json;
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

    public async Task<KvPair> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var normalized = KvKey.Normalize(key);
        var request = new EtcdRangeRequest(Convert.ToBase64String(Encoding.UTF8.GetBytes(normalized)));
        var response = await PostAsync("/v3/kv/range", request, EtcdGatewayJsonContext.Default.EtcdRangeRequest,
            EtcdGatewayJsonContext.Default.EtcdRangeResponse, cancellationToken);
        if (response.Kvs is not [var kv, ..])
        {
            throw new KvKeyNotFoundException(normalized);
        }

        var value = kv.Value is null ? [] : Convert.FromBase64String(kv.Value);
        return new KvPair(normalized, value, kv.ModRevision);
    }

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<TResponse> PostAsync<TRequest, TResponse>(string path, TRequest body,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TRequest> requestType,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var endpoint in config.Endpoints)
        {
            var baseUri = BaseUri(endpoint);
            try
            {
                if (config.Username is not null && token is null)
                {
                    token = await AuthenticateAsync(baseUri, cancellationToken);
                }

                using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, path))
                {
                    Content = JsonContent.Create(body, requestType),
                };
                if (token is not null)
                {
                    message.Headers.TryAddWithoutValidation("Authorization", token);
                }

                using var response = await client.SendAsync(message, cancellationToken);
                return await ReadAsync(response, responseType, cancellationToken);
            }
            catch (Exception e) when (IsUnreachable(e, cancellationToken))
            {
                last = e;
            }
        }

        throw new KvNotReachableException(
            $"etcd not reachable at {string.Join(",", config.Endpoints)} within {config.ConnectionTimeout.TotalSeconds:0.#} s: {last?.Message}", last);
    }

    private async Task<string?> AuthenticateAsync(Uri baseUri, CancellationToken cancellationToken)
    {
        var request = new EtcdAuthenticateRequest(config.Username!, config.Password ?? "");
        using var response = await client.PostAsync(new Uri(baseUri, "/v3/auth/authenticate"),
            JsonContent.Create(request, EtcdGatewayJsonContext.Default.EtcdAuthenticateRequest), cancellationToken);
        var answer = await ReadAsync(response, EtcdGatewayJsonContext.Default.EtcdAuthenticateResponse, cancellationToken);
        return answer.Token;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
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
        // gRPC status codes as the gateway reports them: 7 PermissionDenied, 16 Unauthenticated.
        if (code is 7 or 16 || response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new KvAccessDeniedException($"etcd refused access: {text}") { BackendCode = code.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        }

        // 14 Unavailable: no leader, etc.; the caller may try again later.
        if (code == 14 || response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            throw new KvNotReachableException($"etcd is unavailable: {text}");
        }

        throw new KvException($"etcd failed: {text}") { BackendCode = code.ToString(System.Globalization.CultureInfo.InvariantCulture) };
    }

    private static bool IsUnreachable(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or SocketException or KvNotReachableException
        || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested);

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
