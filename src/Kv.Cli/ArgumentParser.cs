using System.Globalization;

namespace ContivKsr.Kv.Cli;

/// <summary>
/// Turns argv into a <see cref="CliCommand"/>: System.CommandLine reads the options
/// (<see cref="KvctlSyntax"/>), this checks the verb and its arguments. Options may stand before
/// or after the verb; "--" ends them.
/// </summary>
internal static class ArgumentParser
{
    private static readonly Dictionary<string, (int Min, int Max)> VerbArity = new(StringComparer.Ordinal)
    {
        ["get"] = (1, 1),
        ["put"] = (2, 2),
        ["del"] = (1, 1),
        ["ls"] = (0, 1),
        ["rmtree"] = (1, 1),
        ["cas"] = (3, 3),
        ["watch"] = (1, 1),
    };

    /// <summary>What --backend etcdv2 offers: enough to see and fix what libkv reads from etcd's v2 keys.</summary>
    private static readonly HashSet<string> EtcdV2Verbs = new(StringComparer.Ordinal) { "get", "put", "del", "ls" };

    /// <exception cref="UsageException">Unknown option or verb, a missing value, wrong number of arguments.</exception>
    public static CliCommand Parse(IReadOnlyList<string> args)
    {
        var parsed = new KvctlSyntax().Parse(Prepare(args));
        if (parsed.MissingValues.Count > 0)
        {
            throw new UsageException($"{parsed.MissingValues[0]} needs a value");
        }

        if (parsed.Help || (parsed.Words.Count > 0 && parsed.Words[0] == "help"))
        {
            return new CliCommand(StoreConfigBuilder.Default(KvBackend.Etcd), Json: false, "help", []) { Help = true };
        }

        if (parsed.Words.Count == 0)
        {
            throw new UsageException("no command given");
        }

        var verb = parsed.Words[0];
        if (!VerbArity.TryGetValue(verb, out var arity))
        {
            throw new UsageException($"unknown command '{verb}'");
        }

        var arguments = parsed.Words.Skip(1).ToArray();
        if (arguments.Length < arity.Min || arguments.Length > arity.Max)
        {
            throw new UsageException($"'{verb}' takes {Describe(arity)}, got {arguments.Length}");
        }

        var tree = parsed.Flags.Contains("--tree");
        if (tree && verb != "watch")
        {
            throw new UsageException("--tree only goes with watch");
        }

        if (parsed.Values.ContainsKey("--ttl") && verb is not ("put" or "cas"))
        {
            throw new UsageException("--ttl only goes with put and cas");
        }

        var store = StoreConfigBuilder.Build(parsed.Values, parsed.Flags);
        if (store.Backend == KvBackend.EtcdV2 && !EtcdV2Verbs.Contains(verb))
        {
            throw new UsageException($"'{verb}' is not offered with --backend etcdv2 (etcd's v2 API: get, put, del and ls only); use --backend etcd for etcd's v3 keys");
        }

        return new CliCommand(store, parsed.Flags.Contains("--json"), verb, arguments)
        {
            Tree = tree,
            Ttl = parsed.Values.TryGetValue("--ttl", out var ttl) ? Seconds("--ttl", ttl) : null,
        };
    }

    internal static TimeSpan Seconds(string option, string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0) || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw new UsageException($"{option} needs a positive number of seconds, got '{text}'");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// What System.CommandLine cannot be told, checked in the order of the words: every word
    /// before "--" that starts with "--" is an option (an unknown one is an error, not a value); an
    /// option with a value takes the next word whatever it looks like; a flag takes no "=value"; and
    /// every other word is the verb's, however much it looks like an option ("-h=1") or a directive
    /// ("[x]"). So the options go first, each with its value as "--option=value" (which
    /// System.CommandLine does not split further), and the words after a "--" of their own.
    /// </summary>
    private static List<string> Prepare(IReadOnlyList<string> args)
    {
        var options = new List<string>(args.Count);
        var words = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                words.AddRange(args.Skip(i + 1));
                break;
            }

            var name = OptionName(arg);
            var inline = name.Length < arg.Length;
            if (KvctlSyntax.ValueOptionNames.Contains(name))
            {
                if (inline || i + 1 < args.Count)
                {
                    var value = inline ? arg[(name.Length + 1)..] : args[++i];
                    // System.CommandLine reads "--option=" as the option without its value.
                    options.AddRange(value.Length == 0 ? [name, value] : [$"{name}={value}"]);
                }
                else
                {
                    options.Add(arg);
                }
            }
            else if (KvctlSyntax.FlagNames.Contains(name) || name == "--help")
            {
                options.Add(inline ? throw new UsageException($"{name} takes no value") : arg);
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unknown option {name}");
            }
            else if (arg == "-h")
            {
                options.Add(arg);
            }
            else
            {
                words.Add(arg);
            }
        }

        return [.. options, "--", .. words];
    }

    private static string OptionName(string arg) => arg.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0 ? arg[..equals] : arg;

    private static string Describe((int Min, int Max) arity) => arity.Min == arity.Max
        ? $"{arity.Min} argument{(arity.Min == 1 ? "" : "s")}"
        : $"{arity.Min} to {arity.Max} arguments";
}
