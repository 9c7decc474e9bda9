using Google.Protobuf.Collections;

namespace ContivKsr.Ksr.Conversion;

/// <summary>
/// Every list or map built from a Kubernetes map is filled in ordinal key order, so that an
/// unchanged object always encodes to the same bytes (and unchanged writes can be skipped).
/// </summary>
internal static class SortedLabels
{
    public static IEnumerable<KeyValuePair<string, string>> Of(IDictionary<string, string>? map) =>
        map is null
            ? []
            : map.OrderBy(pair => pair.Key, StringComparer.Ordinal);

    /// <summary>Fills a protobuf map in key order (Google.Protobuf keeps insertion order when encoding).</summary>
    public static void CopyInto(MapField<string, string> target, IEnumerable<KeyValuePair<string, string>> source)
    {
        foreach (var (key, value) in source.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            target[key] = value ?? "";
        }
    }
}
