using System.Text.Json.Nodes;
using ContivKsr.Cni.Cni;
using ContivKsr.Kv;

namespace ContivKsr.Cni.LibKv;

/// <summary>libkv's own network configuration (the file in /etc/cni/net.d), checked.</summary>
public sealed record LibKvConfig
{
    public const string DefaultStateDir = "/var/lib/cni/libkv";
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

    /// <summary>A CNI_ARGS key whose value names the stored array instead of the container ID.</summary>
    public string? Identifier { get; init; }

    public string StateDir { get; init; } = DefaultStateDir;

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

        var stateDir = JsonFields.String(config, "stateDir", where) ?? DefaultStateDir;
        if (!Path.IsPathRooted(stateDir))
        {
            throw JsonFields.Invalid($"{where}: 'stateDir' must be an absolute path");
        }

        return new LibKvConfig
        {
            Name = name,
            CniVersion = cniVersion,
            NameNode = config["name"],
            CniVersionNode = config["cniVersion"],
            Store = StoreConfigParser.Parse(backend, uri, storeConfig),
            BasePath = JsonFields.String(config, "basePath", where) ?? "/",
            Identifier = JsonFields.String(config, "identifier", where) is { Length: > 0 } id ? id : null,
            StateDir = stateDir,
            LogFile = JsonFields.String(config, "logFile", where) is { Length: > 0 } file ? file : null,
            LogLevel = logLevel,
            Timeout = timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultTimeout,
        };
    }
}
