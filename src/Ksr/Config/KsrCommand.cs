using System.CommandLine;
using System.CommandLine.Parsing;
using ContivKsr.Ksr.Api;
using ContivKsr.Ksr.Keys;
using ContivKsr.Ksr.Kinds;
using ContivKsr.Ksr.Store;

namespace ContivKsr.Ksr.Config;

/// <summary>
/// contiv-ksr's flags as System.CommandLine options, each falling back to its environment
/// variables when not given, in the forms Go's flag package took them (<c>-flag</c> or
/// <c>--flag</c>, a value after a space or '='; of a repeated flag the last wins).
/// </summary>
public sealed class KsrCommand
{
    /// <summary>No response files ("@FILE"), no bundling.</summary>
    private static readonly ParserConfiguration Configuration = new() { EnablePosixBundling = false, ResponseFileTokenReplacer = null };

    private readonly Func<string, string?> environment;
    private readonly RootCommand root = new();

    /// <param name="environment">Reads an environment variable.</param>
    public KsrCommand(Func<string, string?> environment)
    {
        this.environment = environment;
        EtcdConfig = Text("--etcdv3-config", "ETCDV3_CONFIG");
        StoreConfig = Text("--store-config", "KSR_STORE_CONFIG");
        HttpConfig = Text("--http-config", "HTTP_CONFIG");
        KubeConfig = Text("--kube-config", "KSR_CONFIG", "KUBE_CONFIG");
        KeyLayout = Value("--key-layout", text => Choice<KeyLayoutKind>("--key-layout", text), KeyLayoutKind.Nested, "KSR_KEY_LAYOUT");
        ValueFormat = Value("--value-format", text => Choice<ValueFormat>("--value-format", text), Store.ValueFormat.Json, "KSR_VALUE_FORMAT");
        Resources = Value("--resources", ParseResources, ResourceKind.All, "KSR_RESOURCES");
        ResyncInterval = Value("--resync-interval", ParseInterval, TimeSpan.FromMinutes(10), "KSR_RESYNC_INTERVAL");
        LogLevel = Value("--log-level", ParseLogLevel, LogLevelSwitches.DefaultLevel, "KSR_LOG_LEVEL");
        LeaseNamespace = Text("--lease-namespace", "POD_NAMESPACE");
        LeaseName = Text("--lease-name");
        // On if the flag is given as true at least once, or the variable says true: a false flag leaves it as the variable says.
        var leaderElectVariable = string.Equals(environment("KSR_LEADER_ELECT"), "true", StringComparison.OrdinalIgnoreCase);
        LeaderElect = new Option<bool>("--leader-elect")
        {
            Arity = ArgumentArity.ZeroOrMore,
            CustomParser = result => leaderElectVariable || result.Tokens.Any(token => bool.Parse(token.Value)),
            DefaultValueFactory = _ => leaderElectVariable,
        };

        root.Options.Clear();
        foreach (var option in new Option[]
        {
            EtcdConfig, StoreConfig, HttpConfig, KubeConfig, KeyLayout, ValueFormat, Resources, ResyncInterval, LogLevel, LeaderElect, LeaseNamespace, LeaseName,
        })
        {
            root.Add(option);
        }
    }

    public Option<string?> EtcdConfig { get; }

    public Option<string?> StoreConfig { get; }

    public Option<string?> HttpConfig { get; }

    public Option<string?> KubeConfig { get; }

    public Option<KeyLayoutKind> KeyLayout { get; }

    public Option<ValueFormat> ValueFormat { get; }

    public Option<IReadOnlyList<ResourceKind>> Resources { get; }

    public Option<TimeSpan> ResyncInterval { get; }

    public Option<string> LogLevel { get; }

    public Option<bool> LeaderElect { get; }

    public Option<string?> LeaseNamespace { get; }

    public Option<string?> LeaseName { get; }

    /// <summary>Whether the arguments ask for the usage text, wherever and whatever else they hold.</summary>
    public static bool WantsHelp(IEnumerable<string> args) => args.Any(arg => arg is "--help" or "-h" or "-help");

    /// <exception cref="ConfigException">The first problem: an unknown argument, a flag without its value, a bad value.</exception>
    public ParseResult Parse(IReadOnlyList<string> args)
    {
        var result = root.Parse(Prepare(args), Configuration);
        if (result.Errors.Count > 0)
        {
            throw new ConfigException(result.Errors[0].Message);
        }

        return result;
    }

    /// <summary>
    /// Go's flag forms, checked word by word as Go's flag package does, which System.CommandLine
    /// cannot be told: <c>-flag</c> is <c>--flag</c>; a flag with a value takes the next word
    /// whatever it looks like; a boolean flag takes a value only after '='; there are no other
    /// words. Each value is passed on as "--flag=value", which System.CommandLine does not split further.
    /// </summary>
    private List<string> Prepare(IReadOnlyList<string> args)
    {
        var prepared = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var name = arg.StartsWith("--", StringComparison.Ordinal) ? arg : arg.StartsWith('-') ? "-" + arg : arg;
            string? inline = null;
            if (name.IndexOf('=', StringComparison.Ordinal) is var equals and > 0)
            {
                inline = name[(equals + 1)..];
                name = name[..equals];
            }

            if (name == LeaderElect.Name)
            {
                prepared.Add(inline is null ? $"{name}=true"
                    : bool.TryParse(inline, out _) ? $"{name}={inline}"
                    : throw new ConfigException($"{name} takes true or false, not '{inline}'"));
                continue;
            }

            if (!root.Options.Any(option => option.Name == name))
            {
                throw new ConfigException($"unknown argument '{arg}' (see --help)");
            }

            var value = inline ?? (i + 1 < args.Count ? args[++i] : throw new ConfigException($"{name} needs a value"));
            // System.CommandLine reads "--flag=" as the flag without its value.
            prepared.AddRange(value.Length == 0 ? [name, value] : [$"{name}={value}"]);
        }

        return prepared;
    }

    private Option<string?> Text(string name, params string[] variables) =>
        Value<string?>(name, text => text, null, variables);

    /// <summary>A flag whose value <paramref name="convert"/> checks (throwing <see cref="ConfigException"/>), from the command line or else the first set variable.</summary>
    private Option<T> Value<T>(string name, Func<string, T> convert, T fallback, params string[] variables) => new(name)
    {
        Arity = ArgumentArity.OneOrMore,
        CustomParser = result => Convert(result, result.Tokens[^1].Value, convert, fallback),
        DefaultValueFactory = result => variables.Select(environment).FirstOrDefault(value => !string.IsNullOrEmpty(value)) is { } value
            ? Convert(result, value, convert, fallback)
            : fallback,
    };

    private static T Convert<T>(ArgumentResult result, string text, Func<string, T> convert, T fallback)
    {
        try
        {
            return convert(text);
        }
        catch (ConfigException e)
        {
            result.AddError(e.Message);
            return fallback;
        }
    }

    private static T Choice<T>(string flag, string text)
        where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _)
            ? value
            : throw new ConfigException($"{flag} '{text}' must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");

    private static IReadOnlyList<ResourceKind> ParseResources(string text)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant())
            .ToList();
        if (names.Count == 0 || names.Any(name => ResourceKind.Find(name) is null))
        {
            throw new ConfigException($"--resources '{text}': expected a comma-separated subset of {string.Join(",", ResourceKind.All)}");
        }

        // Keep the table's order whatever order they were given in.
        return [.. ResourceKind.All.Where(kind => names.Contains(kind.Name))];
    }

    private static TimeSpan ParseInterval(string text) =>
        ConfigDuration.TryParse(text, out var interval) && interval > TimeSpan.Zero
            ? interval
            : throw new ConfigException($"--resync-interval '{text}' must be a positive duration such as 10m or 30s");

    private static string ParseLogLevel(string text) =>
        LogLevelSwitches.IsKnownLevel(text)
            ? text
            : throw new ConfigException($"--log-level '{text}' must be one of {string.Join(", ", LogLevelSwitches.LevelNames)}");
}
