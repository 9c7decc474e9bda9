using System.Net.Http.Headers;
using System.Text;

namespace ContivKsr.TestSupport;

/// <summary>
/// etcd's v2 keys API spoken directly (curl-style form PUTs), the other way v2 values were written
/// besides etcdctl, with nothing of ours in between.
/// </summary>
public sealed class EtcdV2Http(string endpoint, string? username = null, string? password = null) : IDisposable
{
    private readonly HttpClient client = new() { BaseAddress = new Uri($"http://{endpoint}") };

    /// <summary>PUT /v2/keys/KEY with value= (and ttl= when given); returns etcd's JSON answer.</summary>
    public Task<string> SetAsync(string key, string value, int? ttlSeconds = null)
    {
        var form = new Dictionary<string, string> { ["value"] = value };
        if (ttlSeconds is { } ttl)
        {
            form["ttl"] = ttl.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return SendAsync(HttpMethod.Put, key, new FormUrlEncodedContent(form));
    }

    /// <summary>PUT /v2/keys/DIR with dir=true.</summary>
    public Task<string> MkdirAsync(string directory) =>
        SendAsync(HttpMethod.Put, directory, new FormUrlEncodedContent(new Dictionary<string, string> { ["dir"] = "true" }));

    /// <summary>GET /v2/keys/KEY: etcd's JSON answer, whatever its status.</summary>
    public async Task<string> GetJsonAsync(string key)
    {
        using var response = await client.SendAsync(Request(HttpMethod.Get, key));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>PUT /v2/auth/...: v2 users, roles and the switch that enables v2 authentication.</summary>
    public Task<string> AuthAsync(string path, string? json = null) =>
        SendAsync(HttpMethod.Put, null, json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"), "/v2/auth/" + path);

    public void Dispose() => client.Dispose();

    private async Task<string> SendAsync(HttpMethod method, string? key, HttpContent? content, string? path = null)
    {
        using var request = Request(method, key, path);
        request.Content = content;
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"{method} {request.RequestUri} failed: {(int)response.StatusCode} {body}");
    }

    private HttpRequestMessage Request(HttpMethod method, string? key, string? path = null)
    {
        path ??= "/v2/keys/" + string.Join('/', key!.Trim('/').Split('/').Select(Uri.EscapeDataString));
        var request = new HttpRequestMessage(method, path);
        if (username is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        }

        return request;
    }
}
