using System.Text;

namespace ContivKsr.TestSupport.FakeKube;

/// <summary>
/// One version of one object, immutable once stored. It keeps the object's JSON as UTF-8 bytes
/// with kind and apiVersion first (the real server's field order), so a list or a watch event
/// is written by copying bytes rather than serializing again.
/// </summary>
internal sealed class StoredObject
{
    public StoredObject(KubeResource resource, string? @namespace, string name, long resourceVersion, byte[] json, int bodyStart, IReadOnlyDictionary<string, string> labels, string? uid, string? creationTimestamp)
    {
        Uid = uid;
        CreationTimestamp = creationTimestamp;
        Resource = resource;
        Namespace = @namespace;
        Name = name;
        ResourceVersion = resourceVersion;
        Json = json;
        BodyStart = bodyStart;
        Labels = labels;
    }

    public KubeResource Resource { get; }

    /// <summary>Null for cluster-scoped resources.</summary>
    public string? Namespace { get; }

    public string Name { get; }

    public long ResourceVersion { get; }

    /// <summary>The whole object: {"kind":..,"apiVersion":..,"metadata":..,...}.</summary>
    public byte[] Json { get; }

    /// <summary>
    /// Where the fields after kind and apiVersion start in <see cref="Json"/>. "{" followed by
    /// <c>Json[BodyStart..]</c> is the object as a list item, where the real server omits kind and apiVersion.
    /// </summary>
    public int BodyStart { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public string? Uid { get; }

    public string? CreationTimestamp { get; }

    /// <summary>The store's key; sorting by it gives the real server's list order (namespace, then name).</summary>
    public string Key => StoreKey(Namespace, Name);

    public string JsonText => Encoding.UTF8.GetString(Json);

    public ReadOnlySpan<byte> ListItemBody => Json.AsSpan(BodyStart);

    public static string StoreKey(string? @namespace, string name) => @namespace is null ? name : $"{@namespace}/{name}";
}
