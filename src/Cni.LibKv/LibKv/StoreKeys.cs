using ContivKsr.Cni.Cni;
using ContivKsr.Kv;

namespace ContivKsr.Cni.LibKv;

/// <summary>
/// Where a container's array lives: <c>basePath/&lt;id&gt;</c>, where the id is the container ID or,
/// with <c>identifier</c>, the named CNI_ARGS values joined with '/' (Kubernetes runtimes make the
/// sandbox ID up at creation, so an operator can only prepare keys named after the pod).
/// </summary>
public static class StoreKeys
{
    /// <exception cref="CniException">Code 4 when an identifier names a CNI_ARGS entry that is absent or unusable.</exception>
    public static string ForContainer(LibKvConfig config, CniEnvironment env)
    {
        if (config.Identifier.Count == 0)
        {
            return Under(config, env.ContainerId ?? "");
        }

        var parts = new string[config.Identifier.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            var name = config.Identifier[i];
            var value = env.Arg(name);
            if (string.IsNullOrEmpty(value))
            {
                throw new CniException(CniErrorCode.InvalidEnvironment, $"CNI_ARGS has no '{name}' entry, which the libkv 'identifier' setting names");
            }

            // A '/' would move the key to another directory than the operator prepared.
            if (value.Contains('/', StringComparison.Ordinal))
            {
                throw new CniException(CniErrorCode.InvalidEnvironment, $"CNI_ARGS entry '{name}' holds a '/' ('{value}'), which cannot be part of a libkv key");
            }

            parts[i] = value;
        }

        return Under(config, string.Join('/', parts));
    }

    /// <summary>The key read when the container's own holds nothing, if the config names one.</summary>
    public static string? Default(LibKvConfig config) => config.DefaultKey is { } key ? Under(config, KvKey.Normalize(key)) : null;

    private static string Under(LibKvConfig config, string name) => KvKey.DirectoryPrefix(config.BasePath) + name;
}
