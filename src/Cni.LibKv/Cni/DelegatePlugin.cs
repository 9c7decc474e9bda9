using System.Buffers;
using ContivKsr.Cni.Cni.Exec;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContivKsr.Cni.Cni;

/// <summary>What a delegate is run with, besides its config on stdin.</summary>
/// <param name="Netns">Null for a DEL without namespace; the variable is then left unset.</param>
public sealed record DelegateEnvironment(CniCommand Command, string? ContainerId, string? Netns, string? IfName, string? Args, string? Path);

/// <summary>
/// Runs another CNI plugin the way a runtime would (libcni's invoke package): found by its type on
/// CNI_PATH, its config on stdin, the CNI_* variables set, stdout read as result or error, stderr
/// passed straight through to ours. A delegate still running at the deadline is killed (with its
/// process group; see <see cref="ChildProcess"/>).
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

        // Our own environment with the CNI_* variables replaced, as libcni does.
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            env[(string)variable.Key] = (string?)variable.Value ?? "";
        }

        env["CNI_COMMAND"] = environment.Command.ToWire();
        Set(env, "CNI_CONTAINERID", environment.ContainerId);
        Set(env, "CNI_NETNS", environment.Netns);
        Set(env, "CNI_IFNAME", environment.IfName);
        Set(env, "CNI_ARGS", environment.Args);
        Set(env, "CNI_PATH", environment.Path);

        if (deadline <= DateTime.UtcNow)
        {
            throw TimedOut(type, environment.Command);
        }

        var stdin = CniJson.Write(config);

        ChildOutcome outcome;
        try
        {
            outcome = ChildProcess.Run(executable, env, stdin, deadline);
        }
        catch (IOException e)
        {
            throw new CniException(FailedCode, $"cannot start delegate plugin '{type}' ({executable}): {e.Message}");
        }

        if (outcome.TimedOut)
        {
            throw TimedOut(type, environment.Command);
        }

        if (outcome.ExitCode == 0)
        {
            return outcome.Stdout;
        }

        throw AsError(type, environment.Command, outcome.ExitCode, outcome.Stdout);
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
                var msg = CniJson.StringOf(error["msg"]) ?? $"delegate plugin '{type}' failed";
                var details = CniJson.StringOf(error["details"]);
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

    private static void Set(Dictionary<string, string> environment, string name, string? value)
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
}
