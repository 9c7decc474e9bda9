using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContivKsr.TestSupport.FakeKube;

/// <summary>
/// Paginated lists (limit + continue). The real server serves every page from the first page's
/// etcd revision; the fake keeps the first page's result set and hands out tokens into it. Tokens
/// outlive neither CompactHistory nor the last <see cref="Capacity"/> paginated lists: then 410 Expired.
/// </summary>
internal sealed class ListSnapshots
{
    public const int Capacity = 256;

    private readonly Lock gate = new();
    private readonly Dictionary<long, (StoredObject[] Items, long Revision)> snapshots = [];
    private readonly Queue<long> order = new();
    private long nextId;

    /// <summary>Keeps a first page's result set for the pages after it; returns its id for <see cref="Token"/>.</summary>
    public long Remember(StoredObject[] items, long revision)
    {
        lock (gate)
        {
            var id = ++nextId;
            snapshots[id] = (items, revision);
            order.Enqueue(id);
            while (order.Count > Capacity)
            {
                snapshots.Remove(order.Dequeue());
            }

            return id;
        }
    }

    /// <summary>An opaque continue token (base64url JSON, like the real server's) for the page starting at <paramref name="start"/>.</summary>
    public static string Token(long snapshot, long revision, int start) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new ContinueToken("meta.k8s.io/v1", revision, snapshot, start)));

    /// <summary>The result set and next index a continue token points into.</summary>
    public (long Snapshot, StoredObject[] Items, long Revision, int Start) Resume(string token)
    {
        ContinueToken? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<ContinueToken>(Base64Url.DecodeFromChars(token));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw KubeApiException.BadRequest($"continue key is not valid: {e.Message}");
        }

        if (parsed is null || parsed.Version != "meta.k8s.io/v1" || parsed.Start < 0)
        {
            throw KubeApiException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }

        lock (gate)
        {
            if (snapshots.TryGetValue(parsed.Snapshot, out var snapshot) && parsed.Start <= snapshot.Items.Length)
            {
                return (parsed.Snapshot, snapshot.Items, snapshot.Revision, parsed.Start);
            }
        }

        throw KubeApiException.Expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
    }

    public void Clear()
    {
        lock (gate)
        {
            snapshots.Clear();
            order.Clear();
        }
    }

    private sealed record ContinueToken(
        [property: JsonPropertyName("v")] string Version,
        [property: JsonPropertyName("rv")] long Revision,
        [property: JsonPropertyName("snapshot")] long Snapshot,
        [property: JsonPropertyName("start")] int Start);
}
