using System.Text.Json.Nodes;
using ContivKsr.Cni.Cni;
using ContivKsr.Kv;

namespace ContivKsr.Cni.LibKv;

/// <summary>libkv's own network configuration (the file in /etc/cni/net.d), checked.</summary>
public sealed record LibKvConfig
{
    public const string DefaultStateDir = "/var/lib/cni/libkv";

    /// <summary>Where the Go libkv kept the raw array of each container it set up.</summary>
    public const string DefaultGoStateDir = "/var/run/cni/libkv";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public required string Name { get; init; }

    public required string CniVersion { get; init; }

    /// <summary>
    /// The config's own "name" and "cniVersion" as parsed, copied into elements that lack them.
    /// Copies of parsed nodes rather than new string values: the first new string value in a
    /// process builds JsonSerializer's string converter (≈ 55 µs of an ADD).
    /// </summary>
    internal JsonNode? NameNode { get; init; }

    internal JsonNode? CniVersionNode { get; init; }

    public required KvStoreConfig Store { get; init; }

    /// <summary>The key prefix; the array for a container is at <c>basePath/&lt;id&gt;</c>.</summary>
    public string BasePath { get; init; } = "/";

    /// <summary>
    /// CNI_ARGS keys whose values, joined with '/', name the stored array instead of the container
    /// ID; empty for the container ID.
    /// </summary>
    public IReadOnlyList<string> Identifier { get; init; } = [];

    /// <summary>A key under <see cref="BasePath"/> read when the container's own key holds nothing.</summary>
    public string? DefaultKey { get; init; }

    public string StateDir { get; init; } = DefaultStateDir;

    /// <summary>The Go libkv's scratch directory, read by DEL, CHECK and GC for attachments it made.</summary>
    public string GoStateDir { get; init; } = DefaultGoStateDir;

    public string? LogFile { get; init; }

    public LogLevel LogLevel { get; init; } = LogLevel.Warning;

    /// <summary>Deadline for the whole verb, delegates included.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <exception cref="CniException">Code 7 for a missing or malformed field.</exception>
    public static LibKvConfig Parse(JsonObject config, string cniVersion)
    {
        const string where = "libkv config";
        var name = JsonFields.RequiredString(config, "name", where);
        if (!CniNames.IsValidNetworkName(name))
        {
            throw JsonFields.Invalid($"{where}: invalid network name '{name}': letters, digits, '_', '.' and '-' only, starting with a letter or digit");
        }

        string backend;
        try
        {
            backend = KvBackend.Parse(JsonFields.RequiredString(config, "storeBackend", where));
        }
        catch (KvInvalidConfigException e)
        {
            throw JsonFields.Invalid($"{where}: {e.Message}");
        }

        var uri = JsonFields.RequiredString(config, "uri", where);
        var storeConfig = JsonFields.Object(config, "storeConfig", where) ?? [];
        var logLevel = LogLevel.Warning;
        try
        {
            logLevel = Log.ParseLevel(JsonFields.String(config, "logLevel", where));
        }
        catch (FormatException e)
        {
            throw JsonFields.Invalid($"{where}: {e.Message}");
        }

        var timeout = JsonFields.Number(config, "timeout", where);
        if (timeout is <= 0 or > 3600)
        {
            throw JsonFields.Invalid($"{where}: 'timeout' must be between 0 and 3600 seconds");
        }

        var stateDir = AbsolutePath(config, "stateDir", where) ?? DefaultStateDir;
        var goStateDir = AbsolutePath(config, "goStateDir", where) ?? DefaultGoStateDir;
        var defaultKey = JsonFields.String(config, "defaultKey", where);
        if (defaultKey is not null && KvKey.Normalize(defaultKey).Length == 0)
        {
            throw JsonFields.Invalid($"{where}: 'defaultKey' must name a key under basePath");
        }

        return new LibKvConfig
        {
            Name = name,
            CniVersion = cniVersion,
            NameNode = config["name"],
            CniVersionNode = config["cniVersion"],
            Store = StoreConfigParser.Parse(backend, uri, storeConfig),
            BasePath = JsonFields.String(config, "basePath", where) ?? "/",
            Identifier = ParseIdentifier(config, where),
            DefaultKey = defaultKey,
            StateDir = stateDir,
            GoStateDir = goStateDir,
            LogFile = JsonFields.String(config, "logFile", where) is { Length: > 0 } file ? file : null,
            LogLevel = logLevel,
            Timeout = timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultTimeout,
        };
    }

    private static string? AbsolutePath(JsonObject config, string name, string where)
    {
        var path = JsonFields.String(config, name, where);
        return path is null || Path.IsPathRooted(path)
            ? path
            : throw JsonFields.Invalid($"{where}: '{name}' must be an absolute path");
    }

    /// <summary>A CNI_ARGS key, or a non-empty list of them (joined with '/' into the key).</summary>
    private static IReadOnlyList<string> ParseIdentifier(JsonObject config, string where)
    {
        if (config["identifier"] is JsonArray list)
        {
            var names = list.Select(item => CniJson.StringOf(item) is { Length: > 0 } name
                ? name
                : throw JsonFields.Invalid($"{where}: 'identifier' must be a CNI_ARGS key or a list of them")).ToList();
            return names.Count > 0 ? names : throw JsonFields.Invalid($"{where}: 'identifier' must not be an empty list");
        }

        return JsonFields.String(config, "identifier", where) is { Length: > 0 } id ? [id] : [];
    }
}
