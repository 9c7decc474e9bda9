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
    /// <exception cref="CniException">The delegate's own error passed through, or 102/103/104.</exception>
    public static async Task<byte[]> RunAsync(string type, IReadOnlyList<string> cniPath, JsonObject config, DelegateEnvironment environment, CancellationToken deadline)
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

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new CniException(FailedCode, $"cannot start delegate plugin '{type}' ({executable}): {e.Message}");
        }

        var output = ReadAllAsync(process.StandardOutput.BaseStream);
        try
        {
            var stdin = process.StandardInput.BaseStream;
            await stdin.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(config, CniNodeJsonContext.Default.JsonObject), deadline);
            await stdin.FlushAsync(deadline);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The delegate exited without reading all of stdin; its exit status tells what happened.
        }

        try
        {
            await process.WaitForExitAsync(deadline);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw new CniException(TimedOutCode,
                $"delegate plugin '{type}' ({environment.Command.ToWire()}) did not finish before the deadline and was killed");
        }

        var stdout = await output;
        if (process.ExitCode == 0)
        {
            return stdout;
        }

        throw AsError(type, environment.Command, process.ExitCode, stdout);
    }

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

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
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
