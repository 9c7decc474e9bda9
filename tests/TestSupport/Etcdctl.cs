using System.Diagnostics;
using System.Text.Json;

namespace ContivKsr.TestSupport;

/// <summary>
/// etcd's own command-line client (etcd-client), to see keys byte for byte as etcd holds them,
/// past any normalisation of ours, and to write v2 keys as operators of the Go libkv did.
/// </summary>
public static class Etcdctl
{
    /// <summary>Every key under <paramref name="prefix"/> exactly as stored, in etcd's (byte) order.</summary>
    public static async Task<IReadOnlyList<string>> KeysAsync(string endpoint, string prefix) =>
        (await RunAsync("3", [$"--endpoints={endpoint}", "get", "--prefix", "--keys-only", prefix])).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Every key under <paramref name="prefix"/> with etcd's own bookkeeping: the revision of its last
    /// write and its version (how many writes since it was created), to count writes exactly.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, EtcdKeyRecord>> RecordsAsync(string endpoint, string prefix)
    {
        using var json = JsonDocument.Parse(await RunAsync("3", [$"--endpoints={endpoint}", "get", "--prefix", "-w", "json", prefix]));
        var records = new Dictionary<string, EtcdKeyRecord>(StringComparer.Ordinal);
        if (!json.RootElement.TryGetProperty("kvs", out var kvs))
        {
            return records;
        }

        foreach (var kv in kvs.EnumerateArray())
        {
            var key = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(kv.GetProperty("key").GetString()!));
            records[key] = new EtcdKeyRecord(
                kv.GetProperty("mod_revision").GetInt64(),
                kv.GetProperty("version").GetInt64(),
                kv.TryGetProperty("value", out var value) ? Convert.FromBase64String(value.GetString()!) : []);
        }

        return records;
    }

    /// <summary>
    /// <c>ETCDCTL_API=2 etcdctl set KEY VALUE</c>, as the original libkv README stores an array.
    /// <paramref name="options"/> go before the command (e.g. --username, TLS files).
    /// </summary>
    public static Task V2SetAsync(string endpoint, string key, string value, params string[] options) =>
        RunAsync("2", [$"--endpoints={V2Url(endpoint, options)}", .. options, "set", "--", key, value]);

    /// <summary><c>ETCDCTL_API=2 etcdctl mkdir DIR</c>: a v2 directory node.</summary>
    public static Task V2MkdirAsync(string endpoint, string directory) =>
        RunAsync("2", [$"--endpoints={V2Url(endpoint, [])}", "mkdir", directory]);

    /// <summary><c>ETCDCTL_API=2 etcdctl get KEY</c>: the value as etcdctl prints it (one line).</summary>
    public static async Task<string> V2GetAsync(string endpoint, string key) =>
        (await RunAsync("2", [$"--endpoints={V2Url(endpoint, [])}", "get", key])).TrimEnd('\n');

    /// <summary>The v2 etcdctl takes URLs only; TLS options mean https.</summary>
    private static string V2Url(string endpoint, string[] options) =>
        (options.Any(o => o.StartsWith("--ca-file", StringComparison.Ordinal)) ? "https://" : "http://") + endpoint;

    private static async Task<string> RunAsync(string api, string[] arguments)
    {
        var start = new ProcessStartInfo("etcdctl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ETCDCTL_API"] = api;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("etcdctl did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ETCDCTL_API={api} etcdctl {string.Join(' ', arguments)} failed: {await error}");
        }

        return await output;
    }
}

/// <param name="ModRevision">The etcd revision of the key's last write.</param>
/// <param name="Version">Writes since the key was created (1 after the first).</param>
/// <param name="Value">The value's bytes.</param>
public sealed record EtcdKeyRecord(long ModRevision, long Version, byte[] Value);
