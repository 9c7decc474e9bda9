using System.Text.Json.Nodes;
using ContivKsr.TestSupport;

namespace ContivKsr.Cni.LibKv.Tests.Support;

/// <summary>
/// What one test needs to run libkv: its own state dir, key prefix and container ID (so tests never
/// see each other's data on the shared servers), the recording delegates, and builders for the
/// config and environment a runtime would pass.
/// </summary>
public sealed class LibKvHarness : IDisposable
{
    private readonly TempDirectory stateDirectory = new("libkv-state-");

    public LibKvHarness(IStoreUnderTest store)
    {
        Store = store;
        var unique = Guid.NewGuid().ToString("N")[..12];
        ContainerId = "ctr" + unique;
        BasePath = $"/libkv-test/{unique}/";
    }

    public IStoreUnderTest Store { get; }

    public RecordingDelegates Delegates { get; } = new();

    public string ContainerId { get; }

    public string BasePath { get; }

    public string StateDir => stateDirectory.Path;

    /// <summary>The store key libkv reads for <see cref="ContainerId"/>.</summary>
    public string Key => BasePath.Trim('/') + "/" + ContainerId;

    public string Netns { get; set; } = "/var/run/netns/libkv-recording";

    /// <summary>CNI_PATH: the recording delegates first, then the reference plugins.</summary>
    public string CniPath => $"{Delegates.PluginDirectory}:/usr/lib/cni";

    public JsonObject Conf(string cniVersion = "1.0.0") => new()
    {
        ["cniVersion"] = cniVersion,
        ["name"] = "libkvtest",
        ["type"] = "libkv",
        ["storeBackend"] = Store.Backend,
        ["uri"] = Store.Uri,
        ["basePath"] = BasePath,
        ["stateDir"] = StateDir,
        ["timeout"] = 20,
        ["storeConfig"] = new JsonObject { ["connectionTimeout"] = 2 },
    };

    public Dictionary<string, string?> Env(string command, string ifName = "eth0") => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = ContainerId,
        ["CNI_NETNS"] = Netns,
        ["CNI_IFNAME"] = ifName,
        ["CNI_PATH"] = CniPath,
        ["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAME=pod-a",
    };

    public Task PutArrayAsync(string json) => PutAsync(Key, json);

    public Task PutAsync(string key, string value) => Store.PutAsync(key, value);

    public Task<CniRun> RunAsync(string command, JsonObject? conf = null, Action<Dictionary<string, string?>>? env = null, TimeSpan? patience = null)
    {
        var environment = Env(command);
        env?.Invoke(environment);
        return CniRun.ExecAsync(LibKvBinary.Path, environment, (conf ?? Conf()).ToJsonString(), patience);
    }

    /// <summary>The state cache files left for this test's attachments.</summary>
    public string[] StateFiles() =>
        Directory.Exists(StateDir) ? Directory.GetFiles(StateDir, "*.json", SearchOption.AllDirectories) : [];

    public void Dispose()
    {
        Delegates.Dispose();
        stateDirectory.Dispose();
    }
}
