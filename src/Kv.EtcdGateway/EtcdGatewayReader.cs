using System.Net;
using System.Text.Json;
using ContivKsr.Kv.Etcd.Core;

namespace ContivKsr.Kv.EtcdGateway;

/// <summary>
/// Reads single keys of etcd's v3 keyspace through its JSON gateway (<c>POST /v3/kv/range</c>,
/// served by every etcd 3.4+ on its client port). For a process that reads one key and exits this
/// is much cheaper than a gRPC channel: no HTTP/2, no protobuf runtime. TLS, username/password and
/// multi-endpoint failover follow <see cref="KvStoreConfig"/> as the full etcd store does.
/// </summary>
public sealed class EtcdGatewayReader : IKvReader
{
    private readonly EtcdHttpChannel channel;
    private readonly bool ownsChannel;
    private string? token;
    private bool authenticated;

    /// <exception cref="KvInvalidConfigException">Bad endpoints or TLS files (same rules as <see cref="EtcdStore"/>).</exception>
    public EtcdGatewayReader(KvStoreConfig config)
        : this(new EtcdHttpChannel(config), ownsChannel: true)
    {
    }

    internal EtcdGatewayReader(EtcdHttpChannel channel, bool ownsChannel)
    {
        this.channel = channel;
        this.ownsChannel = ownsChannel;
    }

    public string Backend => channel.Config.Backend;

    public KvPair Get(string key, CancellationToken cancellationToken = default)
    {
        var normalized = KvKey.Normalize(key);
        var stored = EtcdKey.StoredForm(normalized, EtcdOptions.Of(channel.Config).LeadingSlash);
        using var response = Post("/v3/kv/range", EtcdGatewayMessages.RangeRequest(stored), cancellationToken);
        var (value, modRevision) = EtcdGatewayMessages.FirstKeyValue(response.RootElement)
            ?? throw new KvKeyNotFoundException(normalized);
        return new KvPair(normalized, value, modRevision);
    }

    public void Dispose()
    {
        if (ownsChannel)
        {
            channel.Dispose();
        }
    }

    private JsonDocument Post(string path, byte[] body, CancellationToken cancellationToken) => channel.OnFirstReachable(baseUri =>
    {
        if (channel.Config.Username is { } username && !authenticated)
        {
            token = Authenticate(baseUri, username, cancellationToken);
            authenticated = true;
        }

        return Send(new Uri(baseUri, path), body, token, cancellationToken);
    }, cancellationToken);

    /// <returns>The token, or null when etcd's v3 authentication is off (the credentials may be for v2).</returns>
    private string? Authenticate(Uri baseUri, string username, CancellationToken cancellationToken)
    {
        var body = EtcdGatewayMessages.AuthenticateRequest(username, channel.Config.Password ?? "");
        try
        {
            using var response = Send(new Uri(baseUri, "/v3/auth/authenticate"), body, null, cancellationToken);
            return EtcdGatewayMessages.Token(response.RootElement);
        }
        catch (KvException e) when (e.BackendCode == "9" && e.Message.Contains("authentication is not enabled", StringComparison.Ordinal))
        {
            // gRPC FailedPrecondition: etcd takes every v3 request without a token, as etcd's Go client
            // concludes from the same answer.
            return null;
        }
    }

    /// <summary>One POST with the synchronous HttpClient API (HTTP/1.1), which needs no thread pool.</summary>
    private JsonDocument Send(Uri uri, byte[] body, string? authorization, CancellationToken cancellationToken)
    {
        using var message = EtcdHttpChannel.Request(HttpMethod.Post, uri, body);
        if (authorization is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var answer = channel.Send(message, cancellationToken);
        if (answer.IsSuccess)
        {
            try
            {
                return JsonDocument.Parse(answer.Body);
            }
            catch (JsonException e)
            {
                throw new KvException($"etcd gave an answer that is not the gateway's JSON: {e.Message}", e);
            }
        }

        throw Failure(answer);
    }

    private static KvException Failure(EtcdHttpAnswer answer)
    {
        (int Code, string? Message) error = (0, null);
        try
        {
            using var document = JsonDocument.Parse(answer.Body);
            error = EtcdGatewayMessages.Error(document.RootElement);
        }
        catch (JsonException)
        {
            // Not etcd's error JSON (a proxy in between?): the status line says enough.
        }

        var text = error.Message ?? answer.StatusLine;
        var code = error.Code;
        var backendCode = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // gRPC status codes as the gateway reports them: 7 PermissionDenied, 16 Unauthenticated, and
        // 3 InvalidArgument for a wrong password or a missing user (as EtcdErrors reads them).
        var authFailure = code == 3 && (text.Contains("authentication failed", StringComparison.Ordinal)
            || text.Contains("user name is empty", StringComparison.Ordinal));
        if (code is 7 or 16 || authFailure || answer.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return new KvAccessDeniedException($"etcd refused access: {text}") { BackendCode = backendCode };
        }

        // 14 Unavailable: no leader, etc.; the caller may try again later.
        if (code == 14 || answer.Status == HttpStatusCode.ServiceUnavailable)
        {
            return new KvNotReachableException($"etcd is unavailable: {text}") { BackendCode = backendCode };
        }

        return new KvException($"etcd failed: {text}") { BackendCode = backendCode };
    }
}
