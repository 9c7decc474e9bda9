using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ContivKsr.Kv.EtcdGateway;

/// <summary>
/// etcd's v2 keys API (<c>/v2/keys/...</c> on the client port), which etcd 3.4 and 3.5 serve only
/// when started with <c>--enable-v2</c> and 3.6 no longer has. Rides on the same
/// <see cref="EtcdHttpChannel"/> as the v3 gateway reader. Credentials go as HTTP basic auth: v2
/// authentication is separate from v3's, and etcd ignores the header while v2 authentication is off.
/// </summary>
internal sealed class EtcdV2Client(EtcdHttpChannel channel)
{
    /// <summary>etcd's v2 error codes (etcd's v2error package) that this client tells apart.</summary>
    private const int KeyNotFound = 100;
    private const int NotAFile = 102;
    private const int InsufficientCredentials = 110;
    private const int RaftInternal = 300;
    private const int LeaderElect = 301;

    private readonly AuthenticationHeaderValue? authorization = channel.Config.Username is { } user
        ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{channel.Config.Password}")))
        : null;

    /// <summary>The node at the key (with every node below it when <paramref name="recursive"/>), or null when there is none.</summary>
    /// <exception cref="KvCallNotSupportedException">The server does not serve the v2 API.</exception>
    public EtcdV2Node? Get(string normalized, bool recursive, CancellationToken cancellationToken)
    {
        var path = EtcdV2Keys.PathOf(normalized) + (recursive ? "?recursive=true&sorted=true" : "");
        return Exchange(HttpMethod.Get, path, null, cancellationToken);
    }

    /// <summary>Creates or overwrites a value (v2 makes the directories above it).</summary>
    public EtcdV2Node Set(string normalized, string value, long? ttlSeconds, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("value", value) };
        if (ttlSeconds is { } ttl)
        {
            form.Add(new("ttl", ttl.ToString(CultureInfo.InvariantCulture)));
        }

        return Exchange(HttpMethod.Put, EtcdV2Keys.PathOf(normalized), form, cancellationToken)
            ?? throw new KvException($"etcd's v2 API answered a write of '{normalized}' without the node");
    }

    /// <returns>False when there was no such key.</returns>
    public bool Delete(string normalized, CancellationToken cancellationToken) =>
        Exchange(HttpMethod.Delete, EtcdV2Keys.PathOf(normalized), null, cancellationToken) is not null;

    /// <returns>The answer's node, or null for "key not found".</returns>
    private EtcdV2Node? Exchange(HttpMethod method, string path, List<KeyValuePair<string, string>>? form, CancellationToken cancellationToken) =>
        channel.OnFirstReachable(baseUri =>
        {
            using var request = new HttpRequestMessage(method, new Uri(baseUri, path));
            request.Headers.Authorization = authorization;
            if (form is not null)
            {
                request.Content = new FormUrlEncodedContent(form);
            }

            return Read(channel.Send(request, cancellationToken), baseUri);
        }, cancellationToken);

    private static EtcdV2Node? Read(EtcdHttpAnswer answer, Uri endpoint)
    {
        if (answer.IsSuccess)
        {
            return Parse(answer.Body, EtcdV2JsonContext.Default.EtcdV2Response)?.Node
                ?? throw new KvException($"etcd's v2 API gave an answer without a node: {answer.StatusLine}");
        }

        var error = TryParse(answer.Body, EtcdV2JsonContext.Default.EtcdV2Error);
        if (error is not { ErrorCode: > 0 })
        {
            throw Failure(answer, endpoint);
        }

        var text = $"{error.Message} ({error.Cause})";
        var code = error.ErrorCode.ToString(CultureInfo.InvariantCulture);
        return error.ErrorCode switch
        {
            KeyNotFound => null,
            NotAFile => throw new KvException($"etcd's v2 API has a directory at '{error.Cause}', not a value ({error.Message})") { BackendCode = code },
            InsufficientCredentials => throw new KvAccessDeniedException($"etcd's v2 API refused access: {text}") { BackendCode = code },
            RaftInternal or LeaderElect => throw new KvNotReachableException($"etcd is unavailable: {text}") { BackendCode = code },
            _ => throw new KvException($"etcd's v2 API failed: {text}") { BackendCode = code },
        };
    }

    /// <summary>An answer that is not a v2 error: above all the plain 404 of an etcd without the v2 API.</summary>
    private static KvException Failure(EtcdHttpAnswer answer, Uri endpoint)
    {
        var code = ((int)answer.Status).ToString(CultureInfo.InvariantCulture);
        return answer.Status switch
        {
            HttpStatusCode.NotFound => new KvCallNotSupportedException(
                $"etcd at {endpoint.Authority} does not serve the v2 API ({answer.StatusLine}); etcd 3.4 and 3.5 serve it only when started with --enable-v2, 3.6 and later not at all")
            { BackendCode = code },
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new KvAccessDeniedException($"etcd's v2 API refused access: {answer.StatusLine}") { BackendCode = code },
            HttpStatusCode.ServiceUnavailable => new KvNotReachableException($"etcd is unavailable: {answer.StatusLine}") { BackendCode = code },
            _ => new KvException($"etcd's v2 API failed: {answer.StatusLine}") { BackendCode = code },
        };
    }

    private static T? Parse<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException e)
        {
            throw new KvException($"etcd gave an answer that is not the v2 API's JSON: {e.Message}", e);
        }
    }

    private static T? TryParse<T>(byte[] body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
