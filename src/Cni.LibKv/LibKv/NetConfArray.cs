using System.Text.Json;
using System.Text.Json.Nodes;
using ContivKsr.Cni.Cni;

namespace ContivKsr.Cni.LibKv;

/// <summary>
/// Turns the stored value into delegate plans, checking the whole array before anything runs:
/// every element is an object with a plain <c>type</c>; every element after the first that is not
/// <c>loopback</c> names its interface in <c>args.ifName</c> (≤ 15 characters, unique, not the
/// runtime's CNI_IFNAME); declared cniVersions are supported ones.
/// </summary>
public static class NetConfArray
{
    public const string Loopback = "loopback";

    public static IReadOnlyList<DelegatePlan> Plan(ReadOnlySpan<byte> storedValue, string key, LibKvConfig parent, string runtimeIfName)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(storedValue);
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"the value at store key '{key}' is not valid JSON: {e.Message}");
        }

        if (node is not JsonArray array)
        {
            throw Invalid(key, "the stored value must be a JSON array of NetConfs");
        }

        if (array.Count == 0)
        {
            throw Invalid(key, "the stored array is empty; it needs at least the main NetConf");
        }

        var plans = new List<DelegatePlan>(array.Count);
        var ifNames = new HashSet<string>(StringComparer.Ordinal) { runtimeIfName };
        for (var i = 0; i < array.Count; i++)
        {
            plans.Add(PlanOne(array[i], i, key, parent, runtimeIfName, ifNames));
        }

        return plans;
    }

    private static DelegatePlan PlanOne(JsonNode? element, int index, string key, LibKvConfig parent, string runtimeIfName, HashSet<string> ifNames)
    {
        var where = $"element {index}";
        if (element is not JsonObject source)
        {
            throw Invalid(key, $"{where} is not a JSON object");
        }

        var conf = (JsonObject)source.DeepClone();
        var type = Field(key, () => JsonFields.String(conf, "type", where));
        if (string.IsNullOrEmpty(type))
        {
            throw Invalid(key, $"{where} has no 'type'");
        }

        if (type.Contains('/', StringComparison.Ordinal) || type is "." or "..")
        {
            throw Invalid(key, $"{where}: type '{type}' must be a plugin name, not a path");
        }

        var name = Field(key, () => JsonFields.String(conf, "name", where));
        if (name is null)
        {
            conf["name"] = parent.NameNode?.DeepClone() ?? JsonValue.Create(parent.Name);
        }

        var version = Field(key, () => JsonFields.String(conf, "cniVersion", where));
        if (version is null)
        {
            conf["cniVersion"] = parent.CniVersionNode?.DeepClone() ?? JsonValue.Create(parent.CniVersion);
            version = parent.CniVersion;
        }
        else
        {
            version = CniVersion.OrUnstated(version);
            if (!CniVersion.IsSupported(version))
            {
                throw new CniException(CniErrorCode.IncompatibleVersion,
                    $"store key '{key}': {where} asks for cniVersion {version}; supported: {string.Join(", ", CniVersion.Supported)}");
            }
        }

        var declared = Field(key, () => JsonFields.Object(conf, "args", where) is { } args ? JsonFields.String(args, "ifName", where + " args") : null);
        string ifName;
        if (index == 0)
        {
            ifName = runtimeIfName;
        }
        else if (declared is null)
        {
            if (type != Loopback)
            {
                throw Invalid(key, $"{where} (type '{type}') needs args.ifName: every element after the first that is not loopback names its interface");
            }

            // The loopback plugin always works on "lo" whatever it is told.
            return new DelegatePlan(index, type, "lo", version, conf);
        }
        else
        {
            ifName = declared;
        }

        if (index > 0)
        {
            if (CniNames.InterfaceNameProblem(ifName) is { } problem)
            {
                throw Invalid(key, $"{where}: invalid args.ifName '{ifName}': {problem}");
            }

            if (!ifNames.Add(ifName))
            {
                throw Invalid(key, ifName == runtimeIfName
                    ? $"{where}: args.ifName '{ifName}' is the runtime's CNI_IFNAME, which the main NetConf uses"
                    : $"{where}: args.ifName '{ifName}' is used by an earlier element");
            }
        }

        return new DelegatePlan(index, type, ifName, version, conf);
    }

    private static T Field<T>(string key, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (CniException e) when (e.Code == CniErrorCode.InvalidNetworkConfig)
        {
            throw Invalid(key, e.Message);
        }
    }

    private static CniException Invalid(string key, string message) =>
        new(CniErrorCode.InvalidNetworkConfig, $"store key '{key}': {message}");
}
