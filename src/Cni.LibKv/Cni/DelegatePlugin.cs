using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContivKsr.Cni.Cni;

/// <summary>What a delegate is run with, besides its config on stdin.</summary>
/// <param name="Netns">Null for a DEL without namespace; the variable is then left unset.</param>
public sealed record DelegateEnvironment(CniCommand Command, string? ContainerId, string? Netns, string? IfName, string? Args, string? Path);

/// <summary>
/// Runs another CNI plugin the way a runtime would (libcni's invoke package): found by its type on
/// CNI_PATH, its config on stdin, the CNI_* variables set, stdout read as result or error, stderr
/// passed straight through to ours. A delegate still running at the deadline is killed.
/// </summary>
public static class DelegatePlugin
{
    /// <summary>Our own error codes for delegates that did not answer as the spec asks.</summary>
    public const int NotFoundCode = 102;
    public const int TimedOutCode = 103;
    public const int FailedCode = 104;

    /// <returns>The delegate's stdout (its result for ADD; usually empty otherwise).</returns>
    /// <param name="deadline">When it passes, the delegate (and anything it started) is killed.</param>
    /// <exception cref="CniException">The delegate's own error passed through, or 102/103/104.</exception>
    public static byte[] Run(string type, IReadOnlyList<string> cniPath, JsonObject config, DelegateEnvironment environment, DateTime deadline)
    {
        var executable = Find(type, cniPath);
        var startInfo = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        var env = startInfo.Environment;
        env["CNI_COMMAND"] = environment.Command.ToWire();
        Set(env, "CNI_CONTAINERID", environment.ContainerId);
        Set(env, "CNI_NETNS", environment.Netns);
        Set(env, "CNI_IFNAME", environment.IfName);
        Set(env, "CNI_ARGS", environment.Args);
        Set(env, "CNI_PATH", environment.Path);

        var remaining = deadline - DateTime.UtcNow;
        if (remaining <= TimeSpan.Zero)
        {
            throw TimedOut(type, environment.Command);
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new CniException(FailedCode, $"cannot start delegate plugin '{type}' ({executable}): {e.Message}");
        }

        // Plain blocking I/O on this thread; only a delegate that outlives the deadline costs a timer.
        var killed = 0;
        using var killer = new Timer(_ =>
        {
            Interlocked.Exchange(ref killed, 1);
            Kill(process);
        }, null, remaining, Timeout.InfiniteTimeSpan);
        try
        {
            var stdin = process.StandardInput.BaseStream;
            using (var writer = new Utf8JsonWriter(stdin))
            {
                config.WriteTo(writer);
            }

            stdin.Flush();
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The delegate exited without reading all of stdin; its exit status tells what happened.
        }

        using var buffer = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(buffer);
        process.WaitForExit();
        killer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (Volatile.Read(ref killed) == 1)
        {
            throw TimedOut(type, environment.Command);
        }

        var stdout = buffer.ToArray();
        if (process.ExitCode == 0)
        {
            return stdout;
        }

        throw AsError(type, environment.Command, process.ExitCode, stdout);
    }

    private static CniException TimedOut(string type, CniCommand command) =>
        new(TimedOutCode, $"delegate plugin '{type}' ({command.ToWire()}) did not finish before the deadline and was killed");

    /// <summary>The first executable file named <paramref name="type"/> in the CNI_PATH directories.</summary>
    public static string Find(string type, IReadOnlyList<string> cniPath)
    {
        foreach (var directory in cniPath)
        {
            var candidate = System.IO.Path.Combine(directory, type);
            if (File.Exists(candidate) && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
            {
                return candidate;
            }
        }

        throw new CniException(NotFoundCode, $"delegate plugin '{type}' not found in CNI_PATH", string.Join(':', cniPath));
    }

    private static CniException AsError(string type, CniCommand command, int exitCode, byte[] stdout)
    {
        try
        {
            if (JsonNode.Parse(stdout) is JsonObject error && error["code"] is JsonValue code && code.TryGetValue(out int number))
            {
                var msg = error["msg"] is JsonValue m && m.TryGetValue(out string? text) ? text : $"delegate plugin '{type}' failed";
                var details = error["details"] is JsonValue d && d.TryGetValue(out string? detailText) ? detailText : null;
                return new CniException(number, msg, details);
            }
        }
        catch (JsonException)
        {
            // Not the spec's error object; reported below with whatever it printed.
        }

        var printed = System.Text.Encoding.UTF8.GetString(stdout).Trim();
        return new CniException(FailedCode, $"delegate plugin '{type}' ({command.ToWire()}) exited with status {exitCode} without a CNI error",
            printed.Length == 0 ? null : printed);
    }

    private static void Set(IDictionary<string, string?> environment, string name, string? value)
    {
        if (value is null)
        {
            environment.Remove(name);
        }
        else
        {
            environment[name] = value;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5_000);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own meanwhile.
        }
    }
}
