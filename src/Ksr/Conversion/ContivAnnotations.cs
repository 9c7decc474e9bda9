using k8s.Models;

namespace ContivKsr.Ksr.Conversion;

/// <summary>Only annotations in contiv's own namespace reach the agents; the rest is noise that would cause rewrites.</summary>
internal static class ContivAnnotations
{
    /// <summary>The Go KSR's test is a plain prefix match, so "contivpp.io-x/..." passes too.</summary>
    public const string Prefix = "contivpp.io";

    public static IEnumerable<KeyValuePair<string, string>> Of(V1ObjectMeta? metadata) =>
        (metadata?.Annotations ?? new Dictionary<string, string>())
            .Where(pair => pair.Key.StartsWith(Prefix, StringComparison.Ordinal));
}
