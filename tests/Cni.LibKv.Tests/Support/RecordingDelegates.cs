using System.Text.Json.Nodes;
using ContivKsr.TestSupport;

namespace ContivKsr.Cni.LibKv.Tests.Support;

/// <summary>What a recording delegate does after recording its call.</summary>
public enum DelegateBehaviour
{
    /// <summary>
    /// ADD prints a result for CNI_IFNAME (address 10.77.0.N/24, N = call number) in the cniVersion it
    /// was asked for (the ip4 shape for 0.1.0/0.2.0); other verbs print nothing.
    /// </summary>
    Succeed,
    /// <summary>As <see cref="Succeed"/>, but the result always says and has the shape of 0.4.0, whatever was asked.</summary>
    AnswerIn040,
    /// <summary>ADD fails with the spec error {code 42, msg "rec refused"}.</summary>
    FailAdd,
    /// <summary>DEL fails with the spec error {code 43}.</summary>
    FailDel,
    /// <summary>ADD never finishes (sleeps), to test the deadline.</summary>
    HangAdd,
    /// <summary>ADD exits 2 printing text that is not a CNI error.</summary>
    CrashAdd,
}

/// <summary>
/// A directory to put first on CNI_PATH holding small shell-script plugins that record every call
/// (sequence number, verb, all CNI_* variables, exact stdin) and then behave as told. Tests read
/// the calls back to check exactly what libkv handed each delegate and in which order.
/// </summary>
public sealed class RecordingDelegates : IDisposable
{
    private readonly TempDirectory directory = new("libkv-rec-");

    public RecordingDelegates()
    {
        System.IO.Directory.CreateDirectory(LogDirectory);
        Add("rec", DelegateBehaviour.Succeed);
        Add("rec-040", DelegateBehaviour.AnswerIn040);
        Add("rec-fail-add", DelegateBehaviour.FailAdd);
        Add("rec-fail-del", DelegateBehaviour.FailDel);
        Add("rec-hang", DelegateBehaviour.HangAdd);
        Add("rec-crash", DelegateBehaviour.CrashAdd);
    }

    public string PluginDirectory => directory.Path;

    private string LogDirectory => System.IO.Path.Combine(directory.Path, "calls");

    /// <summary>Every call so far, in order.</summary>
    public IReadOnlyList<RecordedCall> Calls()
    {
        var calls = new List<RecordedCall>();
        foreach (var file in System.IO.Directory.GetFiles(LogDirectory, "*.env").Order(StringComparer.Ordinal))
        {
            var stem = file[..^".env".Length];
            var name = System.IO.Path.GetFileName(stem).Split('-', 2);
            var env = File.ReadAllLines(file)
                .Select(l => l.Split('=', 2))
                .ToDictionary(p => p[0], p => p[1]);
            calls.Add(new RecordedCall(int.Parse(name[0], System.Globalization.CultureInfo.InvariantCulture), name[1], env, File.ReadAllText(stem + ".stdin")));
        }

        return calls;
    }

    /// <summary>The process id of the last hanging delegate, or null if none ran.</summary>
    public int? HungPid()
    {
        var file = System.IO.Path.Combine(LogDirectory, "hang.pid");
        return File.Exists(file) ? int.Parse(File.ReadAllText(file).Trim(), System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    public void Dispose() => directory.Dispose();

    /// <summary>A recording plugin named <paramref name="type"/> (e.g. "loopback", for rules that depend on the type).</summary>
    public void Add(string type, DelegateBehaviour behaviour)
    {
        const string printResult = """
            if [[ $ver == 0.1.0 || $ver == 0.2.0 ]]; then
              printf '{"cniVersion":"%s","ip4":{"ip":"10.77.0.%d/24","gateway":"10.77.0.1"},"dns":{}}' "$ver" "$n"
            else
              printf '{"cniVersion":"%s","interfaces":[{"name":"%s","sandbox":"%s"}],"ips":[{%s"interface":0,"address":"10.77.0.%d/24","gateway":"10.77.0.1"}],"dns":{}}' "$ver" "$CNI_IFNAME" "$CNI_NETNS" "$family" "$n"
            fi
            """;
        var onAdd = behaviour switch
        {
            DelegateBehaviour.Succeed or DelegateBehaviour.FailDel => printResult,
            DelegateBehaviour.AnswerIn040 => "ver=0.4.0; family='\"version\":\"4\",'\n" + printResult,
            DelegateBehaviour.FailAdd => """printf '{"cniVersion":"%s","code":42,"msg":"rec refused","details":"as told"}' "$ver"; exit 1""",
            DelegateBehaviour.HangAdd => """echo $$ > "$log/hang.pid"; exec sleep 120""",
            DelegateBehaviour.CrashAdd => "echo 'panic: something broke'; exit 2",
            _ => throw new ArgumentOutOfRangeException(nameof(behaviour)),
        };
        var onDel = behaviour == DelegateBehaviour.FailDel
            ? """printf '{"cniVersion":"%s","code":43,"msg":"rec cannot delete"}' "$ver"; exit 1"""
            : "true";
        var script = $$"""
            #!/bin/bash
            # Recording CNI delegate '{{type}}' for libkv's tests.
            log='{{LogDirectory}}'
            n=$(( $(cat "$log/.seq" 2>/dev/null || echo 0) + 1 ))
            echo "$n" > "$log/.seq"
            stem=$(printf '%s/%03d-{{type}}' "$log" "$n")
            cat > "$stem.stdin"
            env | grep '^CNI_' | sort > "$stem.env.tmp" && mv "$stem.env.tmp" "$stem.env"
            ver=$(grep -o '"cniVersion":"[^"]*"' "$stem.stdin" | head -n 1 | cut -d '"' -f 4)
            # 0.3.x and 0.4.0 results name the IP family.
            family=''; [[ $ver == 0.3.* || $ver == 0.4.0 ]] && family='"version":"4",'
            echo "recording delegate {{type}} saw $CNI_COMMAND" >&2
            case "$CNI_COMMAND" in
              ADD)
            {{onAdd}}
                ;;
              DEL) {{onDel}} ;;
              VERSION) printf '{"cniVersion":"1.1.0","supportedVersions":["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}' ;;
              *) true ;;
            esac
            """;
        var path = System.IO.Path.Combine(directory.Path, type);
        File.WriteAllText(path, script.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}

/// <summary>One recorded delegate call.</summary>
public sealed record RecordedCall(int Sequence, string Type, IReadOnlyDictionary<string, string> Environment, string Stdin)
{
    public string Command => Environment["CNI_COMMAND"];

    public string IfName => Environment["CNI_IFNAME"];

    public JsonObject Conf => JsonNode.Parse(Stdin)!.AsObject();

    public override string ToString() => $"{Command} {Type} {IfName}";
}
