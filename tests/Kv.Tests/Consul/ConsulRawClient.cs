using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace ContivKsr.Kv.Tests.Consul;

/// <summary>Plain HTTP against the emulator, to test the protocol itself rather than the backend.</summary>
public sealed class ConsulRawClient(string endpoint, string? token = null) : IDisposable
{
    private readonly HttpClient http = CreateClient(endpoint, token);

    public async Task<RawAnswer> SendAsync(HttpMethod method, string pathAndQuery, string? body = null)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var index = response.Headers.TryGetValues("X-Consul-Index", out var values)
            ? ulong.Parse(values.Single(), CultureInfo.InvariantCulture)
            : (ulong?)null;
        return new RawAnswer(response.StatusCode, text, index);
    }

    public Task<RawAnswer> GetAsync(string pathAndQuery) => SendAsync(HttpMethod.Get, pathAndQuery);

    public Task<RawAnswer> PutAsync(string pathAndQuery, string? body = null) => SendAsync(HttpMethod.Put, pathAndQuery, body ?? "");

    public Task<RawAnswer> DeleteAsync(string pathAndQuery) => SendAsync(HttpMethod.Delete, pathAndQuery);

    public void Dispose() => http.Dispose();

    private static HttpClient CreateClient(string endpoint, string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://{endpoint}/"), Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Add("X-Consul-Token", token);
        }

        return client;
    }
}

public sealed record RawAnswer(HttpStatusCode Status, string Body, ulong? Index)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}
