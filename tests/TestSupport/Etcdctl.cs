using System.Diagnostics;

namespace ContivKsr.TestSupport;

/// <summary>
/// etcd's own command-line client (etcd-client), to see keys byte for byte as etcd holds them,
/// past any normalisation of ours.
/// </summary>
public static class Etcdctl
{
    /// <summary>Every key under <paramref name="prefix"/> exactly as stored, in etcd's (byte) order.</summary>
    public static async Task<IReadOnlyList<string>> KeysAsync(string endpoint, string prefix)
    {
        var start = new ProcessStartInfo("etcdctl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { $"--endpoints={endpoint}", "get", "--prefix", "--keys-only", prefix })
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
            throw new InvalidOperationException($"etcdctl get {prefix} failed: {await error}");
        }

        return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
