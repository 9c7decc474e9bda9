using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ContivKsr.Ksr.Config;

/// <summary>
/// A flat YAML mapping read with YamlDotNet's representation model, so that every error names the
/// file, the key and the line. Keys not listed as known are returned for a warning: the Go
/// configs carry options this daemon has no use for, and refusing them would break old files.
/// </summary>
public sealed class YamlConfigFile
{
    private readonly Dictionary<string, YamlNode> values = new(StringComparer.Ordinal);

    private YamlConfigFile(string path) => Path = path;

    public string Path { get; }

    public IReadOnlyList<string> UnknownKeys { get; private set; } = [];

    /// <exception cref="ConfigException">Missing, unreadable or not a YAML mapping.</exception>
    public static YamlConfigFile Load(string path, string what, IReadOnlyCollection<string> knownKeys)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ConfigException($"cannot read {what} file {path}: {e.Message}", e);
        }

        var file = new YamlConfigFile(path);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{what} file {path} is not valid YAML (line {e.Start.Line}): {e.InnerException?.Message ?? e.Message}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            // An empty file means "all defaults".
            return file;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            throw new ConfigException($"{what} file {path} must be a YAML mapping of option: value");
        }

        var unknown = new List<string>();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            if (!knownKeys.Contains(key))
            {
                unknown.Add(key);
                continue;
            }

            file.values[key] = valueNode;
        }

        file.UnknownKeys = unknown;
        return file;
    }

    public string? String(string key)
    {
        if (!values.TryGetValue(key, out var node))
        {
            return null;
        }

        return node is YamlScalarNode scalar
            ? scalar.Value
            : throw Error(key, node, "a single value");
    }

    public IReadOnlyList<string>? List(string key)
    {
        if (!values.TryGetValue(key, out var node))
        {
            return null;
        }

        return node switch
        {
            YamlSequenceNode sequence => [.. sequence.Children.Select(child => child is YamlScalarNode { Value: { } value }
                ? value
                : throw Error(key, child, "a list of strings"))],
            // One endpoint written without the list dashes is still clear enough.
            YamlScalarNode { Value: { } single } => [single],
            _ => throw Error(key, node, "a list of strings"),
        };
    }

    public bool? Bool(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        return text.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw Error(key, values[key], "true or false"),
        };
    }

    public TimeSpan? Duration(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        if (!ConfigDuration.TryParse(text, out var duration) || duration <= TimeSpan.Zero)
        {
            throw Error(key, values[key], "a positive duration: nanoseconds (1000000000) or a Go duration (1s, 500ms)");
        }

        return duration;
    }

    private ConfigException Error(string key, YamlNode node, string expected) =>
        new($"{Path} line {node.Start.Line}: '{key}' must be {expected}");
}
