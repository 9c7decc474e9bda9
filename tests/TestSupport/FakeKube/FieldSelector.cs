using System.Text.Json;

namespace ContivKsr.TestSupport.FakeKube;

/// <summary>
/// A field selector as sent in <c>?fieldSelector=</c>: comma-separated <c>path=value</c>,
/// <c>path==value</c> or <c>path!=value</c>. The real server accepts only a few paths per resource
/// (metadata.name, metadata.namespace, spec.nodeName, status.phase for pods...); the fake accepts
/// any dotted path into the object, and a missing field compares as "".
/// </summary>
internal sealed class FieldSelector
{
    private readonly IReadOnlyList<(string[] Path, string Value, bool Equal)> terms;

    private FieldSelector(IReadOnlyList<(string[] Path, string Value, bool Equal)> terms) => this.terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<(string[] Path, string Value, bool Equal)>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (op, equal) = part.Contains("!=", StringComparison.Ordinal) ? ("!=", false)
                : part.Contains("==", StringComparison.Ordinal) ? ("==", true)
                : part.Contains('=', StringComparison.Ordinal) ? ("=", true)
                : throw KubeApiException.BadRequest($"invalid field selector: '{part}': no operator");
            var index = part.IndexOf(op, StringComparison.Ordinal);
            var path = part[..index].Trim();
            if (path.Length == 0)
            {
                throw KubeApiException.BadRequest($"invalid field selector: '{part}': no field");
            }

            terms.Add((path.Split('.'), part[(index + op.Length)..].Trim(), equal));
        }

        return new FieldSelector(terms);
    }

    public bool Matches(StoredObject obj)
    {
        if (terms.Count == 0)
        {
            return true;
        }

        JsonDocument? document = null;
        try
        {
            foreach (var (path, value, equal) in terms)
            {
                var actual = path switch
                {
                    ["metadata", "name"] => obj.Name,
                    ["metadata", "namespace"] => obj.Namespace ?? "",
                    _ => FieldValue(document ??= JsonDocument.Parse(obj.Json), path),
                };
                if ((actual == value) != equal)
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            document?.Dispose();
        }
    }

    private static string FieldValue(JsonDocument document, string[] path)
    {
        var element = document.RootElement;
        foreach (var step in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(step, out element))
            {
                return "";
            }
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString() ?? "",
            JsonValueKind.Null or JsonValueKind.Undefined => "",
            _ => element.GetRawText(),
        };
    }
}
