using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ContivKsr.GoTime;

namespace ContivKsr.Kv.Consul;

/// <summary>Typed calls of Consul's /v1/kv and /v1/txn endpoints. Keys given here are already normalised.</summary>
internal sealed class ConsulKvApi(ConsulHttpClient client)
{
    /// <summary>Consul's limit of operations in one /v1/txn request.</summary>
    public const int MaxTxnOperations = 64;

    /// <summary>Consul's default txn_max_req_len: the largest /v1/txn request body.</summary>
    public const int MaxTxnBodyBytes = 512 * 1024;

    /// <summary>Values above this go by plain PUT: base64 in a transaction body would pass its limit.</summary>
    public const int MaxTxnValueBytes = 256 * 1024;

    public ConsulHttpClient Client => client;

    /// <summary>Reads one key; with <paramref name="index"/> &gt; 0 this is a blocking query.</summary>
    /// <returns>The entry (null on 404) and the X-Consul-Index of the answer.</returns>
    public async Task<(ConsulKvEntry? Entry, ulong Index)> GetAsync(string key, ulong index, TimeSpan wait, CancellationToken cancellationToken)
    {
        var response = await SendBlockingAsync(KeyPath(key), "", index, wait, cancellationToken).ConfigureAwait(false);
        if (response.Status == HttpStatusCode.NotFound)
        {
            return (null, response.Index);
        }

        response.EnsureSuccess($"read key '{key}'");
        var entries = Deserialize(response, ConsulJsonContext.Default.ListConsulKvEntry);
        return (entries.FirstOrDefault(e => e.Key == key), response.Index);
    }

    /// <summary>Every key starting with <paramref name="prefix"/> (a plain string prefix, as Consul matches).</summary>
    public async Task<(IReadOnlyList<ConsulKvEntry> Entries, ulong Index)> ListAsync(string prefix, ulong index, TimeSpan wait, CancellationToken cancellationToken)
    {
        var response = await SendBlockingAsync(KeyPath(prefix), "recurse", index, wait, cancellationToken).ConfigureAwait(false);
        if (response.Status == HttpStatusCode.NotFound)
        {
            return ([], response.Index);
        }

        response.EnsureSuccess($"list keys under '{prefix}'");
        return (Deserialize(response, ConsulJsonContext.Default.ListConsulKvEntry), response.Index);
    }

    /// <summary>PUT /v1/kv/key with the given query (e.g. "acquire=ID", "cas=0"); Consul answers true or false.</summary>
    public async Task<bool> PutAsync(string key, ReadOnlyMemory<byte> value, string query, CancellationToken cancellationToken)
    {
        var path = query.Length == 0 ? KeyPath(key) : $"{KeyPath(key)}?{query}";
        var response = await client.SendAsync(HttpMethod.Put, path, value, cancellationToken: cancellationToken).ConfigureAwait(false);
        response.EnsureSuccess($"write key '{key}'");
        return Deserialize(response, ConsulJsonContext.Default.Boolean);
    }

    /// <summary>Applies up to <see cref="MaxTxnOperations"/> KV operations atomically.</summary>
    /// <returns>The results when applied; the errors (by operation index) when Consul rolled it back (409).</returns>
    public async Task<ConsulTxnOutcome> TxnAsync(IReadOnlyList<ConsulTxnKvOperation> operations, CancellationToken cancellationToken)
    {
        if (operations.Count is 0 or > MaxTxnOperations)
        {
            throw new ArgumentOutOfRangeException(nameof(operations), operations.Count, $"a Consul transaction holds 1 to {MaxTxnOperations} operations");
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(
            operations.Select(o => new ConsulTxnOperation { Kv = o }).ToList(),
            ConsulJsonContext.Default.ListConsulTxnOperation);
        var response = await client.SendAsync(HttpMethod.Put, "v1/txn", body, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (response.Status is not (HttpStatusCode.OK or HttpStatusCode.Conflict))
        {
            throw ConsulErrors.FromResponse(response, "apply a transaction");
        }

        var parsed = Deserialize(response, ConsulJsonContext.Default.ConsulTxnResponse);
        return new ConsulTxnOutcome(
            response.Status == HttpStatusCode.OK,
            parsed.Results?.Select(r => r.Kv).OfType<ConsulKvEntry>().ToList() ?? [],
            parsed.Errors ?? []);
    }

    /// <summary>"v1/kv/" plus the key with each segment URL-escaped ("" lists from the root).</summary>
    public static string KeyPath(string key) =>
        "v1/kv/" + string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    private Task<ConsulResponse> SendBlockingAsync(string path, string query, ulong index, TimeSpan wait, CancellationToken cancellationToken)
    {
        var builder = new StringBuilder(path);
        var separator = '?';
        if (query.Length > 0)
        {
            builder.Append(separator).Append(query);
            separator = '&';
        }

        if (index == 0)
        {
            return client.SendAsync(HttpMethod.Get, builder.ToString(), cancellationToken: cancellationToken);
        }

        builder.Append(separator).Append("index=").Append(index.ToString(CultureInfo.InvariantCulture))
            .Append("&wait=").Append(GoDuration.Format(wait));
        return client.SendAsync(HttpMethod.Get, builder.ToString(), blockingWait: wait, cancellationToken: cancellationToken);
    }

    private T Deserialize<T>(ConsulResponse response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(response.Body, type)
                ?? throw new KvException($"Consul sent an empty JSON answer from {client.CurrentEndpoint}");
        }
        catch (JsonException e)
        {
            throw new KvException($"Consul sent JSON this client cannot read: {e.Message}", e);
        }
    }
}

/// <summary>The outcome of a /v1/txn request.</summary>
internal sealed record ConsulTxnOutcome(bool Committed, IReadOnlyList<ConsulKvEntry> Results, IReadOnlyList<ConsulTxnError> Errors)
{
    public string Describe() => string.Join("; ", Errors.Select(e => $"operation {e.OpIndex}: {e.What}"));
}
