using System.Diagnostics;
using System.Text.Json;

namespace ContivKsr.TestSupport;

/// <summary>
/// etcd's own command-line client (etcd-client), to see keys byte for byte as etcd holds them,
/// past any normalisation of ours.
/// </summary>
public static class Etcdctl
{
    /// <summary>Every key under <paramref name="prefix"/> exactly as stored, in etcd's (byte) order.</summary>
    public static async Task<IReadOnlyList<string>> KeysAsync(string endpoint, string prefix) =>
        (await RunAsync(endpoint, "get", "--prefix", "--keys-only", prefix)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Every key under <paramref name="prefix"/> with etcd's own bookkeeping: the revision of its last
    /// write and its version (how many writes since it was created), to count writes exactly.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, EtcdKeyRecord>> RecordsAsync(string endpoint, string prefix)
    {
        using var json = JsonDocument.Parse(await RunAsync(endpoint, "get", "--prefix", "-w", "json", prefix));
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

    private static async Task<string> RunAsync(string endpoint, params string[] arguments)
    {
        var start = new ProcessStartInfo("etcdctl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add($"--endpoints={endpoint}");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ETCDCTL_API"] = "3";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("etcdctl did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"etcdctl {string.Join(' ', arguments)} failed: {await error}");
        }

        return await output;
    }
}

/// <param name="ModRevision">The etcd revision of the key's last write.</param>
/// <param name="Version">Writes since the key was created (1 after the first).</param>
/// <param name="Value">The value's bytes.</param>
public sealed record EtcdKeyRecord(long ModRevision, long Version, byte[] Value);
