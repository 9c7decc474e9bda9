using System.Text.Json;
using System.Text.Json.Nodes;
using ContivKsr.Cni.Cni;

namespace ContivKsr.Cni.LibKv;

/// <summary>
/// What the Go libkv left on a node it ran on: for every container it added, the stored array as it
/// read it, at <c>goStateDir/&lt;containerId&gt;</c> (mode 0600), removed by its DEL. libkv reads these
/// so that a node upgraded in place can still delete the containers the Go plugin set up. libkv
/// never writes there.
/// </summary>
public sealed class GoLibKvState(string directory)
{
    /// <summary>libcni's reading of a NetConf without "cniVersion", which is how the Go plugin's delegates saw them.</summary>
    private const string UnversionedConf = "0.1.0";

    public string PathOf(string containerId) => Path.Combine(directory, containerId);

    /// <summary>The containers the Go plugin recorded, for GC.</summary>
    public IReadOnlyList<string> ContainerIds() =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory).Select(f => Path.GetFileName(f)).Where(CniNames.IsValidContainerId).ToList()
            : [];

    /// <summary>
    /// The attachment as the Go plugin made it: every element it ran, in order, as it ran it, with the
    /// interface name it gave each one.
    /// </summary>
    /// <returns>Null when the Go plugin left nothing for this container.</returns>
    /// <exception cref="StateDamagedException">The file is there but is not a readable array.</exception>
    public AttachmentState? Read(string network, string containerId, string runtimeIfName, string? netns)
    {
        var path = PathOf(containerId);
        byte[] bytes;
        try
        {
            if (Directory.Exists(path))
            {
                return null;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateDamagedException(path, $"cannot read the Go libkv's state {path}: {e.Message}");
        }

        JsonArray array;
        try
        {
            array = JsonNode.Parse(bytes) as JsonArray ?? throw new FormatException("not a JSON array");
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new StateDamagedException(path, $"the Go libkv's state {path} is damaged ({e.Message})");
        }

        return new AttachmentState
        {
            Network = network,
            ContainerId = containerId,
            IfName = runtimeIfName,
            Netns = netns,
            StoreKey = "",
            CniVersion = UnversionedConf,
            Delegates = DelegatesRun(array, network, runtimeIfName),
            FromGoLibKv = true,
        };
    }

    /// <exception cref="CniException">Code 5 when the file cannot be removed.</exception>
    public void Remove(string containerId)
    {
        var path = PathOf(containerId);
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CniException(CniErrorCode.IoFailure, $"cannot remove the Go libkv's state {path}: {e.Message}");
        }
    }

    /// <summary>
    /// The Go plugin set CNI_IFNAME to an element's args.ifName for every element after the first that
    /// is not loopback, and left it as it was otherwise; it stopped (crashed) at the first element
    /// without a usable type or ifName, so nothing from there on was added.
    /// </summary>
    private static List<DelegateState> DelegatesRun(JsonArray array, string network, string runtimeIfName)
    {
        var delegates = new List<DelegateState>();
        var ifName = runtimeIfName;
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject element || CniJson.StringOf(element["type"]) is not { Length: > 0 } type)
            {
                break;
            }

            if (i > 0 && type != NetConfArray.Loopback)
            {
                if (CniJson.StringOf((element["args"] as JsonObject)?["ifName"]) is not { Length: > 0 } declared)
                {
                    break;
                }

                ifName = declared;
            }

            var conf = (JsonObject)element.DeepClone();
            // Today's plugins refuse a NetConf without a name, which the Go plugin's loopback elements often lacked.
            if (CniJson.StringOf(conf["name"]) is null)
            {
                conf["name"] = network;
            }

            delegates.Add(new DelegateState
            {
                Type = type,
                IfName = ifName,
                CniVersion = CniJson.StringOf(conf["cniVersion"]) ?? UnversionedConf,
                Conf = conf,
                Added = true,
            });
        }

        return delegates;
    }
}
