using System.Diagnostics;

namespace ContivKsr.Cni.LibKv.Tests.Support;

/// <summary>A network namespace made for one test (<c>ip netns add</c>) and deleted when disposed.</summary>
public sealed class NetworkNamespace : IDisposable
{
    public NetworkNamespace()
    {
        Name = "ckt" + Guid.NewGuid().ToString("N")[..10];
        Shell.Run("ip", "netns", "add", Name);
    }

    public string Name { get; }

    public string Path => $"/var/run/netns/{Name}";

    /// <summary>Runs a command inside the namespace and returns its stdout.</summary>
    public string Exec(params string[] command) => Shell.Run(["ip", "netns", "exec", Name, .. command]);

    public void Dispose() => Shell.TryRun("ip", "netns", "delete", Name);
}

/// <summary>Runs host tools (ip, iptables) and fails the test with their stderr when they fail.</summary>
public static class Shell
{
    public static string Run(params string[] command)
    {
        var (code, stdout, stderr) = Exec(command);
        if (code != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} failed ({code}): {stderr}");
        }

        return stdout;
    }

    public static bool TryRun(params string[] command) => Exec(command).Code == 0;

    private static (int Code, string Stdout, string Stderr) Exec(string[] command)
    {
        var startInfo = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
