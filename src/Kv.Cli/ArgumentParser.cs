using System.Globalization;

namespace ContivKsr.Kv.Cli;

/// <summary>Turns argv into a <see cref="CliCommand"/>. Options may stand before or after the verb; "--" ends them.</summary>
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

    public static IEnumerable<string> Verbs => VerbArity.Keys;

    /// <exception cref="UsageException">Unknown option or verb, a missing value, wrong number of arguments.</exception>
    public static CliCommand Parse(IReadOnlyList<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var positional = new List<string>();
        var endOfOptions = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!endOfOptions && arg == "-h")
            {
                flags.Add("--help");
                continue;
            }

            if (endOfOptions || !arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                endOfOptions = true;
                continue;
            }

            var (name, inlineValue) = SplitOption(arg);
            if (name is "--json" or "--tree" or "--help" or "--insecure-skip-tls-verify" or "--etcd-leading-slash")
            {
                if (inlineValue is not null)
                {
                    throw new UsageException($"{name} takes no value");
                }

                flags.Add(name);
                continue;
            }

            if (!ValueOptions.Contains(name))
            {
                throw new UsageException($"unknown option {name}");
            }

            var value = inlineValue ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"{name} needs a value"));
            options[name] = value;
        }

        if (flags.Contains("--help") || (positional.Count > 0 && positional[0] == "help"))
        {
            return new CliCommand(StoreConfigBuilder.Default(KvBackend.Etcd), Json: false, "help", []) { Help = true };
        }

        if (positional.Count == 0)
        {
            throw new UsageException("no command given");
        }

        var verb = positional[0];
        if (!VerbArity.TryGetValue(verb, out var arity))
        {
            throw new UsageException($"unknown command '{verb}'");
        }

        var arguments = positional.Skip(1).ToArray();
        if (arguments.Length < arity.Min || arguments.Length > arity.Max)
        {
            throw new UsageException($"'{verb}' takes {Describe(arity)}, got {arguments.Length}");
        }

        if (flags.Contains("--tree") && verb != "watch")
        {
            throw new UsageException("--tree only goes with watch");
        }

        if (options.ContainsKey("--ttl") && verb is not ("put" or "cas"))
        {
            throw new UsageException("--ttl only goes with put and cas");
        }

        var store = StoreConfigBuilder.Build(options, flags);
        if (store.Backend == KvBackend.EtcdV2 && !EtcdV2Verbs.Contains(verb))
        {
            throw new UsageException($"'{verb}' is not offered with --backend etcdv2 (etcd's v2 API: get, put, del and ls only); use --backend etcd for etcd's v3 keys");
        }

        return new CliCommand(store, flags.Contains("--json"), verb, arguments)
        {
            Tree = flags.Contains("--tree"),
            Ttl = options.TryGetValue("--ttl", out var ttl) ? Seconds("--ttl", ttl) : null,
        };
    }

    private static readonly HashSet<string> ValueOptions = new(StringComparer.Ordinal)
    {
        "--backend", "--uri", "--timeout", "--tls-ca", "--tls-cert", "--tls-key", "--username", "--password", "--token", "--ttl",
    };

    private static (string Name, string? Value) SplitOption(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (arg, null) : (arg[..equals], arg[(equals + 1)..]);
    }

    internal static TimeSpan Seconds(string option, string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0) || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw new UsageException($"{option} needs a positive number of seconds, got '{text}'");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static string Describe((int Min, int Max) arity) => arity.Min == arity.Max
        ? $"{arity.Min} argument{(arity.Min == 1 ? "" : "s")}"
        : $"{arity.Min} to {arity.Max} arguments";
}
