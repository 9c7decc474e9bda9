using System.Text.RegularExpressions;

namespace ContivKsr.TestSupport.FakeKube;

/// <summary>
/// A Kubernetes label selector as sent in <c>?labelSelector=</c>: comma-separated requirements
/// <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c>, <c>!k</c>.
/// </summary>
internal sealed partial class LabelSelector
{
    private readonly IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> requirements;

    private LabelSelector(IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> requirements) => this.requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        return new LabelSelector(SplitTopLevel(text).Select(ParseRequirement).ToList());
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => requirements.All(r => r(labels));

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseRequirement(string part)
    {
        var text = part.Trim();
        if (SetRequirement().Match(text) is { Success: true } set)
        {
            var key = set.Groups["key"].Value;
            var values = set.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            return set.Groups["op"].Value == "in"
                ? labels => labels.TryGetValue(key, out var v) && values.Contains(v)
                : labels => !labels.TryGetValue(key, out var v) || !values.Contains(v);
        }

        if (EqualityRequirement().Match(text) is { Success: true } equality)
        {
            var key = equality.Groups["key"].Value;
            var value = equality.Groups["value"].Value;
            return equality.Groups["op"].Value == "!="
                ? labels => !labels.TryGetValue(key, out var v) || v != value
                : labels => labels.TryGetValue(key, out var v) && v == value;
        }

        if (ExistenceRequirement().Match(text) is { Success: true } existence)
        {
            var key = existence.Groups["key"].Value;
            return existence.Groups["not"].Success
                ? labels => !labels.ContainsKey(key)
                : labels => labels.ContainsKey(key);
        }

        throw KubeApiException.BadRequest($"unable to parse requirement: found '{text}' in label selector");
    }

    /// <summary>Splits on commas outside the parentheses of set requirements.</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9./_-]+)\s+(?<op>in|notin)\s*\((?<values>[^()]*)\)$")]
    private static partial Regex SetRequirement();

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9./_-]+)\s*(?<op>==|!=|=)\s*(?<value>[A-Za-z0-9._-]*)$")]
    private static partial Regex EqualityRequirement();

    [GeneratedRegex(@"^(?<not>!)?\s*(?<key>[A-Za-z0-9./_-]+)$")]
    private static partial Regex ExistenceRequirement();
}
