using System.Net;
using System.Text.Json;
using ContivKsr.GoTime;

namespace ContivKsr.Kv.Consul;

/// <summary>Typed calls of Consul's /v1/session endpoints.</summary>
internal sealed class ConsulSessionApi(ConsulHttpClient client)
{
    /// <summary>Consul refuses session TTLs outside 10 s to 24 h.</summary>
    public static readonly TimeSpan MinimumTtl = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan MaximumTtl = TimeSpan.FromHours(24);

    /// <summary>
    /// Creates a session that Consul invalidates when not renewed within <paramref name="ttl"/>
    /// (Consul may wait up to twice the TTL). With <paramref name="deleteKeys"/> the keys it holds are
    /// deleted on invalidation; otherwise they are only released.
    /// </summary>
    public async Task<string> CreateAsync(string name, TimeSpan ttl, bool deleteKeys, CancellationToken cancellationToken)
    {
        if (ttl < MinimumTtl || ttl > MaximumTtl)
        {
            throw new KvCallNotSupportedException(
                $"Consul cannot expire a key or lock after {ttl.TotalSeconds:0.###} s: its session TTL must be between {MinimumTtl.TotalSeconds} s and {MaximumTtl.TotalHours} h");
        }

        var request = new ConsulSessionCreateRequest
        {
            Name = name,
            Ttl = GoDuration.Format(ttl),
            Behavior = deleteKeys ? "delete" : "release",
            // No lock delay: a lock whose holder died may be taken again at once.
            LockDelay = "0s",
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(request, ConsulJsonContext.Default.ConsulSessionCreateRequest);
        var response = await client.SendAsync(HttpMethod.Put, "v1/session/create", body, cancellationToken: cancellationToken).ConfigureAwait(false);
        response.EnsureSuccess("create a session");
        try
        {
            var created = JsonSerializer.Deserialize(response.Body, ConsulJsonContext.Default.ConsulSessionCreated);
            return string.IsNullOrEmpty(created?.Id) ? throw new KvException("Consul created a session without an ID") : created.Id;
        }
        catch (JsonException e)
        {
            throw new KvException($"Consul answered session/create with JSON this client cannot read: {e.Message}", e);
        }
    }

    /// <summary>Resets the session's TTL timer.</summary>
    /// <returns>False when the session no longer exists (expired or destroyed).</returns>
    public async Task<bool> RenewAsync(string sessionId, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync(HttpMethod.Put, $"v1/session/renew/{Uri.EscapeDataString(sessionId)}", cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.Status == HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccess("renew a session");
        return true;
    }

    /// <summary>Destroys the session; its keys are released or deleted as its behaviour says.</summary>
    public async Task DestroyAsync(string sessionId, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync(HttpMethod.Put, $"v1/session/destroy/{Uri.EscapeDataString(sessionId)}", cancellationToken: cancellationToken).ConfigureAwait(false);
        response.EnsureSuccess("destroy a session");
    }
}
